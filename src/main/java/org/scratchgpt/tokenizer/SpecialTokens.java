package org.scratchgpt.tokenizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Special tokens such as {@code <|endoftext|>}: strings with ids of their own that BPE never builds.
 *
 * <p>They are matched in the raw text before splitting, and only when the caller allows it. Why the
 * permission: a web page that happens to contain the text "&lt;|endoftext|&gt;" must not be able to end
 * a document in the middle of training data, so by default it is encoded as ordinary text.
 */
public final class SpecialTokens {
    public static final SpecialTokens NONE = new SpecialTokens(Map.of());

    private final Map<String, Integer> idsByContent;

    public SpecialTokens(Map<String, Integer> idsByContent) {
        for (String content : idsByContent.keySet()) {
            if (content.isEmpty()) {
                throw new IllegalArgumentException("a special token cannot be the empty string");
            }
        }
        this.idsByContent = Collections.unmodifiableMap(new LinkedHashMap<>(idsByContent));
    }

    public Map<String, Integer> asMap() {
        return idsByContent;
    }

    /**
     * These special tokens and those of {@code contents} that are not among them yet, which take the ids
     * {@code firstFreeId}, {@code firstFreeId + 1}, ... in the order given.
     */
    public SpecialTokens adding(java.util.List<String> contents, int firstFreeId) {
        Map<String, Integer> all = new LinkedHashMap<>(idsByContent);
        int next = firstFreeId;
        for (String content : contents) {
            if (!all.containsKey(content)) {
                all.put(content, next++);
            }
        }
        return new SpecialTokens(all);
    }

    public boolean isEmpty() {
        return idsByContent.isEmpty();
    }

    /** A match of a special token in a text. */
    record Match(int start, int end, int id) {}

    /**
     * The leftmost special token at or after {@code from}; the longest one when several start there
     * (HuggingFace's leftmost-longest rule). Null when there is none.
     */
    Match find(String text, int from) {
        Match best = null;
        for (Map.Entry<String, Integer> e : idsByContent.entrySet()) {
            int at = text.indexOf(e.getKey(), from);
            if (at < 0) {
                continue;
            }
            int end = at + e.getKey().length();
            if (best == null || at < best.start() || (at == best.start() && end > best.end())) {
                best = new Match(at, end, e.getValue());
            }
        }
        return best;
    }
}
