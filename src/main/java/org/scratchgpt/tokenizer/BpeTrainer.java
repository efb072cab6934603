package org.scratchgpt.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.scratchgpt.UserError;

/**
 * Learns a byte-level BPE vocabulary: start from the 256 bytes, then repeatedly merge the most
 * frequent adjacent pair of tokens into a new token, until the vocabulary has the size asked for.
 *
 * <p>Counting every pair again after each merge would cost a pass over the whole corpus per merge.
 * Instead (as HuggingFace's {@code BpeTrainer} does) the pair counts are kept up to date: a merge only
 * changes the pairs next to where it happened, in the words that contain it. The best pair comes from
 * a priority queue. This class follows HuggingFace's trainer step for step, ties included (equal counts
 * go to the pair with the smaller ids), so both learn the same merges in the same order.
 */
public final class BpeTrainer {
    /** Train until no pair is left to merge. */
    public static final int FULL_VOCABULARY = Integer.MAX_VALUE;

    private final int vocabSize;
    private final long minFrequency;
    private final List<String> specialTokens;
    private final PreTokenizer preTokenizer;
    private final boolean showProgress;

    /**
     * @param vocabSize the size to stop at: special tokens + 256 bytes + merges ({@link #FULL_VOCABULARY}: no limit)
     * @param minFrequency stop when the best pair occurs fewer times than this
     * @param specialTokens special tokens, given the first ids
     * @param preTokenizer how the training text is cut into words
     */
    public BpeTrainer(int vocabSize, long minFrequency, List<String> specialTokens, PreTokenizer preTokenizer,
            boolean showProgress) {
        int smallest = 256 + specialTokens.size();
        if (vocabSize < smallest) {
            throw new UserError("a vocabulary of " + vocabSize + " tokens cannot hold the 256 byte tokens and "
                    + specialTokens.size() + " special token" + (specialTokens.size() == 1 ? "" : "s")
                    + ": ask for a vocabulary size of at least " + smallest);
        }
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
        this.specialTokens = List.copyOf(specialTokens);
        this.preTokenizer = preTokenizer;
        this.showProgress = showProgress;
    }

    /** A merge waiting in the queue: the pair, its count when queued, and the words where it occurs. */
    private record Candidate(long pair, long count, int[] words) {}

    /** Most frequent first; on equal counts the smaller pair of ids first (HuggingFace's order). */
    private static final Comparator<Candidate> BEST_FIRST =
            Comparator.comparingLong(Candidate::count).reversed().thenComparingLong(Candidate::pair);

    /**
     * Trains on {@code sequences}. Each sequence is split into words on its own; HuggingFace's
     * {@code train(files)} feeds one line (with its line ending) per sequence.
     */
    public BpeTokenizer train(List<String> sequences) {
        Map<String, Long> wordCounts = countWords(sequences);
        if (wordCounts.isEmpty()) {
            throw new UserError("the training text is empty: BPE needs some text to learn merges from");
        }
        Vocabulary vocab = new Vocabulary(specialTokens);
        TrainingWords words = new TrainingWords(wordCounts, vocab);
        Map<Long, Long> pairCounts = new HashMap<>();
        PriorityQueue<Candidate> queue = new PriorityQueue<>(BEST_FIRST);
        enqueue(queue, words.countAllPairs(pairCounts), pairCounts);
        List<String[]> merges = new ArrayList<>();

        try (ProgressBar progress = progressBar()) {
            while (vocab.size() < vocabSize && !queue.isEmpty()) {
                Candidate best = queue.poll();
                long count = pairCounts.get(best.pair());
                if (best.count() != count) {
                    // Counts only fall after a pair was queued: put it back with its true count and look again.
                    queue.add(new Candidate(best.pair(), count, best.words()));
                    continue;
                }
                if (count < 1 || count < minFrequency) {
                    break;
                }
                int left = TrainingWords.left(best.pair());
                int right = TrainingWords.right(best.pair());
                int merged = vocab.addMerged(left, right);
                merges.add(new String[] {vocab.token(left), vocab.token(right)});
                // Merge it everywhere it occurs; the pairs this creates are counted and queued.
                enqueue(queue, words.merge(left, right, merged, best.words(), pairCounts), pairCounts);
                progress.step();
            }
        }
        return new BpeTokenizer(vocab.bpeTokens(), merges, vocab.specials(), preTokenizer);
    }

    /**
     * Trains on a whole text fed line by line, each line keeping its line ending: exactly what
     * HuggingFace's {@code train(files)} does, so both learn the same merges from the same file.
     */
    public BpeTokenizer train(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
            lines.add(text.substring(start, i + 1));
            start = i + 1;
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return train(lines);
    }

    private Map<String, Long> countWords(List<String> sequences) {
        return sequences.parallelStream().collect(HashMap::new,
                (counts, sequence) -> preTokenizer.split(sequence, word -> counts.merge(word, 1L, Long::sum)),
                (a, b) -> b.forEach((word, n) -> a.merge(word, n, Long::sum)));
    }

    private static void enqueue(PriorityQueue<Candidate> queue, Map<Long, TrainingWords.IntSet> wordsByPair,
            Map<Long, Long> pairCounts) {
        wordsByPair.forEach((pair, words) -> {
            long count = pairCounts.get(pair);
            if (count > 0) {
                queue.add(new Candidate(pair, count, words.toArray()));
            }
        });
    }

    private ProgressBar progressBar() {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("BPE merges").setUpdateIntervalMillis(250)
                .setInitialMax(vocabSize == FULL_VOCABULARY ? -1 : vocabSize - 256 - specialTokens.size());
        if (!showProgress) {
            builder.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(line -> { }));
        }
        return builder.build();
    }

    /** The growing vocabulary: ids in HuggingFace's layout (special tokens, the 256 bytes, then merges). */
    private static final class Vocabulary {
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();
        private final int specialCount;

        Vocabulary(List<String> specialTokens) {
            for (String special : specialTokens) {
                if (special.isEmpty() || ids.containsKey(special)) {
                    throw new UserError("special tokens must be non-empty and distinct: " + specialTokens);
                }
                add(special);
            }
            specialCount = tokens.size();
            char[] byteChars = new char[256];
            for (int b = 0; b < 256; b++) {
                byteChars[b] = ByteLevel.charOf(b);
            }
            Arrays.sort(byteChars); // the alphabet in code-point order, as HuggingFace sorts it
            for (char c : byteChars) {
                if (ids.containsKey(String.valueOf(c))) {
                    throw new UserError("special token '" + c + "' collides with the byte token '" + c + "'");
                }
                add(String.valueOf(c));
            }
        }

        int size() {
            return tokens.size();
        }

        String token(int id) {
            return tokens.get(id);
        }

        int byteId(int unsignedByte) {
            return ids.get(String.valueOf(ByteLevel.charOf(unsignedByte)));
        }

        /** The id of the token left+right; new unless an earlier merge already spelled the same token. */
        int addMerged(int left, int right) {
            String merged = tokens.get(left) + tokens.get(right);
            Integer id = ids.get(merged);
            if (id != null && id < specialCount) {
                throw new UserError("special token '" + merged + "' collides with a token that BPE learned from the"
                        + " text: choose special tokens that cannot occur as text, e.g. <|" + merged + "|>");
            }
            return id != null ? id : add(merged);
        }

        private int add(String token) {
            ids.put(token, tokens.size());
            tokens.add(token);
            return tokens.size() - 1;
        }

        Map<String, Integer> bpeTokens() {
            Map<String, Integer> vocab = new LinkedHashMap<>();
            for (int id = specialCount; id < tokens.size(); id++) {
                vocab.put(tokens.get(id), id);
            }
            return vocab;
        }

        SpecialTokens specials() {
            Map<String, Integer> specials = new LinkedHashMap<>();
            for (int id = 0; id < specialCount; id++) {
                specials.put(tokens.get(id), id);
            }
            return new SpecialTokens(specials);
        }
    }

    /** The distinct training words as token-id sequences, each with how often it occurs. */
    private static final class TrainingWords {
        private final int[][] symbols;
        private final int[] lengths;
        private final long[] counts;

        TrainingWords(Map<String, Long> wordCounts, Vocabulary vocab) {
            symbols = new int[wordCounts.size()][];
            lengths = new int[wordCounts.size()];
            counts = new long[wordCounts.size()];
            int w = 0;
            for (Map.Entry<String, Long> e : wordCounts.entrySet()) {
                byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
                symbols[w] = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    symbols[w][i] = vocab.byteId(bytes[i] & 0xFF);
                }
                lengths[w] = bytes.length;
                counts[w++] = e.getValue();
            }
        }

        static long pair(int left, int right) {
            return ((long) left << 32) | right;
        }

        static int left(long pair) {
            return (int) (pair >>> 32);
        }

        static int right(long pair) {
            return (int) pair;
        }

        /** Counts every adjacent pair of every word; returns, per pair, the words it occurs in. */
        Map<Long, IntSet> countAllPairs(Map<Long, Long> pairCounts) {
            Map<Long, IntSet> where = new HashMap<>();
            for (int w = 0; w < symbols.length; w++) {
                for (int i = 0; i + 1 < lengths[w]; i++) {
                    long pair = pair(symbols[w][i], symbols[w][i + 1]);
                    pairCounts.merge(pair, counts[w], Long::sum);
                    where.computeIfAbsent(pair, p -> new IntSet()).add(w);
                }
            }
            return where;
        }

        /**
         * Replaces every (left, right) by {@code merged} in the given words, left to right. Each merge
         * removes the pairs it breaks (prev, left) and (right, next) and creates (prev, merged) and
         * (merged, next); their counts change by the word's count. Returns the created pairs with the
         * words they now occur in.
         */
        Map<Long, IntSet> merge(int left, int right, int merged, int[] words, Map<Long, Long> pairCounts) {
            Map<Long, IntSet> created = new HashMap<>();
            for (int w : words) {
                int[] s = symbols[w];
                int n = lengths[w];
                int out = 0;
                for (int in = 0; in < n; ) {
                    if (in + 1 < n && s[in] == left && s[in + 1] == right) {
                        if (out > 0) {
                            change(pair(s[out - 1], left), -1, w, pairCounts, created);
                            change(pair(s[out - 1], merged), +1, w, pairCounts, created);
                        }
                        if (in + 2 < n) {
                            change(pair(right, s[in + 2]), -1, w, pairCounts, created);
                            change(pair(merged, s[in + 2]), +1, w, pairCounts, created);
                        }
                        s[out++] = merged;
                        in += 2;
                    } else {
                        s[out++] = s[in++];
                    }
                }
                lengths[w] = out;
            }
            return created;
        }

        private void change(long pair, int delta, int w, Map<Long, Long> pairCounts, Map<Long, IntSet> created) {
            pairCounts.merge(pair, delta * counts[w], Long::sum);
            if (delta > 0) {
                created.computeIfAbsent(pair, p -> new IntSet()).add(w);
            }
        }

        /** Word indices in the order first added; words are visited one at a time, so a repeat is always the last. */
        static final class IntSet {
            private int[] items = new int[2];
            private int size;

            void add(int w) {
                if (size > 0 && items[size - 1] == w) {
                    return;
                }
                if (size == items.length) {
                    items = Arrays.copyOf(items, size * 2);
                }
                items[size++] = w;
            }

            int[] toArray() {
                return Arrays.copyOf(items, size);
            }
        }
    }
}
