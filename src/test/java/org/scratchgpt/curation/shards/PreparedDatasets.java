package org.scratchgpt.curation.shards;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokenizer.TokenizerJson;

/** Builds what {@code data prepare} writes (split folders of JSON lines), for tests of the token shards. */
public final class PreparedDatasets {
    private PreparedDatasets() {}

    /** Writes {@code texts} as the documents of {@code dir/<split>/<file>}, gzipped when the name ends in .gz. */
    public static void writeSplit(Path dir, String split, String file, List<String> texts) throws IOException {
        Path target = dir.resolve(split).resolve(file);
        Files.createDirectories(target.getParent());
        try (OutputStream raw = Files.newOutputStream(target);
             OutputStream out = file.endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < texts.size(); i++) {
                JsonObject line = new JsonObject();
                line.addProperty("id", split + "/" + file + ":" + i);
                line.addProperty("source", "test");
                line.addProperty("text", texts.get(i));
                writer.write(line + "\n");
            }
        }
    }

    /** A small byte-level BPE tokenizer with {@code <|endoftext|>}, trained on {@code text}, saved at {@code file}. */
    public static BpeTokenizer bpeTokenizer(String text, int vocabSize, Path file) throws IOException {
        BpeTokenizer tokenizer = new BpeTrainer(vocabSize, 0, List.of("<|endoftext|>"),
                PreTokenizer.of(SplitPattern.GPT2), false).train(text);
        TokenizerJson.save(tokenizer, file);
        return tokenizer;
    }
}
