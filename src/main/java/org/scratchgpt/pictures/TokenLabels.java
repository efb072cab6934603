package org.scratchgpt.pictures;

import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.tokenizer.Tokenizer;

/** Tokens as axis labels: each token's own text, with the invisible characters made visible. */
public final class TokenLabels {
    private TokenLabels() {}

    /** The label of each id: the text of that one token (a byte-level piece of a character shows as U+FFFD). */
    public static List<String> of(Tokenizer tokenizer, int[] ids) {
        List<String> labels = new ArrayList<>();
        for (int id : ids) {
            labels.add(readable(tokenizer.decode(new int[] {id})));
        }
        return labels;
    }

    /**
     * A space, a newline or a tab would leave an empty-looking label: they become visible marks, in characters
     * every Java font can draw (a middle dot for a space, \n and \t written out).
     */
    public static String readable(String token) {
        return token.replace(' ', '\u00b7').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }
}
