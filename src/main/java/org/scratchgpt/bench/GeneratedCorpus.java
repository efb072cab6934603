package org.scratchgpt.bench;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scratchgpt.curation.dedup.SyntheticText;

/**
 * A generated corpus for the data benchmark and the 1 GB check, written as one JSON lines file
 * ({@code {"id": ..., "text": ...}} per line) straight to disk, so that a corpus of any size is made in flat memory.
 * Documents of 150 to 400 English-like words ({@link SyntheticText}, with function words among them), with the problems the data stage is there for,
 * so every stage has work to do: one in 20 is an exact copy of a recent document, one in 20 a near copy (a few word
 * edits), one in 20 too short for the quality filter, and one in 10 carries an e-mail address, a public IP, a phone
 * number and a card number. Deterministic for a seed.
 */
public final class GeneratedCorpus {
    /**
     * Function words, one before about every fourth made-up word: real prose has them (Gopher's quality filter
     * removes a document with fewer than two of its stop words), made-up words alone would not.
     */
    private static final String[] FUNCTION_WORDS = {"the", "of", "and", "to", "that", "with", "have", "be", "in", "a"};
    /** Copies are made of the last this-many documents: a window, so memory stays flat. */
    private static final int RECENT = 256;

    private GeneratedCorpus() {}

    /** Writes at least {@code bytes} bytes of documents to {@code file}; returns how many documents. */
    public static long write(Path file, long bytes, long seed) throws IOException {
        SyntheticText words = new SyntheticText(seed, 20_000);
        String[] recent = new String[RECENT];
        long written = 0;
        long count = 0;
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.UTF_8), 1 << 16)) {
            while (written < bytes) {
                String text = document(words, recent, count);
                recent[(int) (count % RECENT)] = text;
                JsonObject line = new JsonObject();
                line.addProperty("id", "doc-" + count);
                line.addProperty("text", text);
                String json = line + "\n";
                out.write(json);
                written += json.getBytes(StandardCharsets.UTF_8).length;
                count++;
            }
        }
        return count;
    }

    private static String document(SyntheticText words, String[] recent, long index) {
        int kind = words.nextInt(20);
        String earlier = index > 0 ? recent[(int) (words.nextInt((int) Math.min(index, RECENT)))] : null;
        if (kind == 0 && earlier != null) {
            return earlier;
        }
        if (kind == 1 && earlier != null) {
            return words.nearCopy(earlier, 1 + words.nextInt(5));
        }
        if (kind == 2) {
            return prose(words, 3 + words.nextInt(20)); // below Gopher's 50 words
        }
        String body = prose(words, 120 + words.nextInt(200));
        return kind <= 4 ? body + "\n" + personalData(words, index) : body;
    }

    /** About {@code wordCount} made-up words with function words among them. */
    private static String prose(SyntheticText words, int wordCount) {
        StringBuilder text = new StringBuilder();
        for (String word : words.document(wordCount).split(" ")) {
            if (text.length() > 0) {
                text.append(' ');
            }
            if (words.nextInt(4) == 0) {
                text.append(FUNCTION_WORDS[words.nextInt(FUNCTION_WORDS.length)]).append(' ');
            }
            text.append(word);
        }
        return text.toString();
    }

    /** One line of the kinds of personal data redaction replaces (reserved example domains and documentation IPs). */
    private static String personalData(SyntheticText words, long index) {
        return String.format(Locale.ROOT, "Write to user%d@example.com, call +1 415 555 %04d, server 93.184.%d.%d,"
                        + " card 4111 1111 1111 1111.", index, words.nextInt(10_000), words.nextInt(256),
                words.nextInt(256));
    }
}
