package org.scratchgpt.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * A corpus the run's tokenizer cannot encode. Byte-level BPE encodes any text, but a character-level vocabulary
 * holds only the characters of the text it was built from: fine-tuning a tiny-shakespeare model on a text with
 * an 'é' or a '—' stops here, before any training, with the place of the first such character (line and column,
 * as an editor shows them) and every other missing character, so that one edit fixes them all.
 */
public final class UnencodableText {
    private static final int LISTED = 8;

    private UnencodableText() {}

    /**
     * Fails, as {@link #explain} says, unless {@code tokenizer} can encode the whole of {@code corpus}: for a command
     * to check before the slow parts of its start. Only a character-level vocabulary can fail; byte-level BPE
     * encodes any text, so it is not run over the corpus twice.
     */
    public static void requireEncodable(Path corpus, Tokenizer tokenizer) throws IOException {
        if (tokenizer instanceof CharTokenizer chars) {
            String text = CorpusText.readUtf8(corpus);
            try {
                chars.encode(text);
            } catch (CharTokenizer.UnknownCharacter unknown) {
                throw explain(unknown, corpus, text, chars);
            }
        }
    }

    /**
     * The message for {@code unknown}, raised while encoding {@code text} (the content of {@code corpus}) with
     * {@code tokenizer}.
     */
    static UserError explain(CharTokenizer.UnknownCharacter unknown, Path corpus, String text, CharTokenizer tokenizer) {
        int[] lineAndColumn = lineAndColumn(text, unknown.position());
        Set<Integer> missing = missingCharacters(text, tokenizer);
        Set<String> others = missing.stream().map(CharTokenizer.UnknownCharacter::describe)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        others.remove(unknown.character());
        String alsoMissing = others.isEmpty() ? "" : String.format(Locale.ROOT, "; it also lacks %d other character%s of"
                + " the corpus: %s%s", others.size(), others.size() == 1 ? "" : "s",
                others.stream().limit(LISTED).collect(Collectors.joining(", ")),
                others.size() > LISTED ? " and " + (others.size() - LISTED) + " more" : "");
        // iconv's transliteration would not do: it leaves digits and brackets as they are, and turns '—' into '-',
        // which the vocabulary may lack as well. The command removes exactly what the vocabulary lacks.
        String removal = CharacterRemoval.command(corpus, vocabulary(tokenizer), missing)
                .map(command -> " (all at once: `" + command + "`)").orElse("");
        return new UserError(String.format(Locale.ROOT, "the corpus %s cannot be encoded by this run's tokenizer:"
                + " line %d, column %d holds %s, which is not in its character-level vocabulary of %d characters%s."
                + " A character-level model can only read the characters it was trained on: replace or remove them"
                + " in the corpus%s, or train a model of its own on this text (`./scratchgpt train --corpus %s --out"
                + " %s` builds its characters from it; --tokenizer with a byte-level BPE tokenizer.json encodes"
                + " any text)", corpus, lineAndColumn[0], lineAndColumn[1], unknown.character(), tokenizer.vocabSize(),
                alsoMissing, removal, CharacterRemoval.quoted(corpus.toString()),
                CharacterRemoval.quoted("models/" + CharacterRemoval.stem(corpus))), unknown);
    }

    /** The line and column, both from 1 and counted in characters (code points), of the {@code position}-th character. */
    static int[] lineAndColumn(String text, int position) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int counted = 1; counted < position; counted++) {
            int cp = text.codePointAt(index);
            index += Character.charCount(cp);
            if (cp == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    /** Every character of {@code text} that the vocabulary lacks, as code points, in order of first appearance. */
    private static Set<Integer> missingCharacters(String text, CharTokenizer tokenizer) {
        Set<Integer> missing = new LinkedHashSet<>();
        text.codePoints().filter(cp -> !tokenizer.vocab().containsKey(Character.toString(cp))).forEach(missing::add);
        return missing;
    }

    /** The vocabulary's characters, as code points. */
    private static Set<Integer> vocabulary(CharTokenizer tokenizer) {
        return tokenizer.vocab().keySet().stream().map(token -> token.codePointAt(0)).collect(Collectors.toSet());
    }
}
