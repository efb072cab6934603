package org.scratchgpt.curation.dedup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generated English-like text for tests and benchmarks of deduplication: words drawn from a made-up vocabulary with a
 * Zipf-like law (a few words are very common, most are rare, as in real text, so unrelated documents share common
 * words and even some shingles, which is what makes false positives possible), and near copies made by random word
 * edits. Deterministic for a seed.
 */
public final class SyntheticText {
    private final Random random;
    private final String[] vocabulary;

    public SyntheticText(long seed, int vocabularySize) {
        this.random = new Random(seed);
        this.vocabulary = new String[vocabularySize];
        for (int i = 0; i < vocabularySize; i++) {
            vocabulary[i] = randomWord();
        }
    }

    /** A document of {@code wordCount} words separated by spaces, with a full stop every dozen words or so. */
    public String document(int wordCount) {
        List<String> words = new ArrayList<>(wordCount);
        for (int i = 0; i < wordCount; i++) {
            words.add(nextWord());
        }
        return join(words);
    }

    /**
     * A copy of {@code text} with {@code edits} random word edits (each replaces, deletes or inserts one word at a
     * random place): each edit changes up to 5 of the word 5-gram shingles, so the Jaccard similarity to the original
     * falls as edits grow (about (n - 5e) / (n + 5e) for n shingles and e scattered edits).
     */
    public String nearCopy(String text, int edits) {
        List<String> words = new ArrayList<>(Arrays.asList(text.split(" ")));
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(words.size());
            switch (random.nextInt(3)) {
                case 0 -> words.set(at, nextWord());
                case 1 -> {
                    if (words.size() > 1) {
                        words.remove(at);
                    }
                }
                default -> words.add(at, nextWord());
            }
        }
        return join(words);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private String nextWord() {
        // log-uniform rank: P(rank) ~ 1/rank, Zipf's law with exponent 1.
        int rank = (int) Math.pow(vocabulary.length, random.nextDouble()) - 1;
        return vocabulary[rank];
    }

    private String randomWord() {
        int length = 2 + random.nextInt(8);
        char[] letters = new char[length];
        for (int i = 0; i < length; i++) {
            letters[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(letters);
    }

    private String join(List<String> words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                text.append(' ');
            }
            String word = words.get(i);
            boolean sentenceEnd = random.nextInt(12) == 0 && i < words.size() - 1 && !word.endsWith(".");
            text.append(sentenceEnd ? word + "." : word);
        }
        return text.toString();
    }
}
