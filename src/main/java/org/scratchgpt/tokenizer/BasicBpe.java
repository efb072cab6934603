package org.scratchgpt.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The simplest byte-level BPE, to read before {@link BpeTrainer} (in the spirit of Karpathy's minbpe,
 * {@code basic.py}). Training: write the text as bytes, count every adjacent pair of tokens, merge the
 * most frequent pair into a new token, repeat until the vocabulary is full. Encoding: apply the merges
 * in the order they were learned. Decoding: concatenate the bytes of the tokens.
 *
 * <p>Two choices make it learn exactly what {@link BpeTrainer} (and HuggingFace) learns, merge for
 * merge and id for id: the text is first cut into chunks by a {@link PreTokenizer}, so that a merge
 * never crosses two chunks; and a tie between equally frequent pairs goes to the pair with the smaller
 * ids. Every merge rescans the whole text, so training costs (merges) x (text length): fine for a
 * lesson, far too slow for a real corpus. {@link BpeTrainer} updates the counts only where a merge happened.
 */
public final class BasicBpe {
    /** Ids 0..255 are the single bytes; merge number k (counting from 0) makes the token 256 + k. */
    public static final int FIRST_MERGE_ID = 256;

    /**
     * {@code BYTE_OF_ID[id]} is the byte value of byte token {@code id}, {@code BYTE_ID[b]} the id of byte
     * value {@code b}. GPT-2 numbers the bytes in the order of their {@link ByteLevel} stand-ins, not by
     * value ('!' is 0, 'a' is 64, a space is 220); numbering them the same gives the same ids and ties.
     */
    private static final int[] BYTE_OF_ID = IntStream.range(0, 256).boxed()
            .sorted(Comparator.comparing(ByteLevel::charOf)).mapToInt(Integer::intValue).toArray();
    private static final int[] BYTE_ID = new int[256];

    static {
        for (int id = 0; id < 256; id++) {
            BYTE_ID[BYTE_OF_ID[id]] = id;
        }
    }

    /** Two adjacent token ids, e.g. ('a', 'b') = (64, 65). */
    public record Pair(int left, int right) {
        /** The tie rule (HuggingFace's): the smaller left id comes first, then the smaller right id. */
        boolean comesBefore(Pair other) {
            return left < other.left || (left == other.left && right < other.right);
        }
    }

    private final PreTokenizer preTokenizer;
    private final List<Pair> merges = new ArrayList<>(); // merges.get(k): the pair that became token 256 + k
    private final List<byte[]> tokenBytes = new ArrayList<>(); // tokenBytes.get(id): the bytes of token id

    private BasicBpe(PreTokenizer preTokenizer) {
        this.preTokenizer = preTokenizer;
        for (int id = 0; id < 256; id++) {
            tokenBytes.add(new byte[] {(byte) BYTE_OF_ID[id]});
        }
    }

    /** Learns merges from {@code text} until there are {@code vocabSize} tokens (or nothing is left to merge). */
    public static BasicBpe train(String text, int vocabSize, PreTokenizer preTokenizer) {
        if (vocabSize < 256) {
            throw new IllegalArgumentException("a vocabulary needs at least the 256 byte tokens, not " + vocabSize);
        }
        BasicBpe bpe = new BasicBpe(preTokenizer);
        List<int[]> chunks = new ArrayList<>(); // one int[] per chunk: its token ids now, at first one per byte
        preTokenizer.split(text, chunk -> chunks.add(byteIds(chunk)));
        while (bpe.vocabSize() < vocabSize) {
            Map<Pair, Long> counts = countPairs(chunks);
            if (counts.isEmpty()) {
                break; // every chunk is a single token: nothing left to merge
            }
            Pair best = mostFrequent(counts);
            int newId = bpe.addMerge(best);
            chunks.replaceAll(ids -> merge(ids, best, newId));
        }
        return bpe;
    }

    /** How often each adjacent pair occurs, summed over all chunks (a pair never spans two chunks). */
    static Map<Pair, Long> countPairs(List<int[]> chunks) {
        Map<Pair, Long> counts = new HashMap<>();
        for (int[] ids : chunks) {
            for (int i = 0; i + 1 < ids.length; i++) {
                counts.merge(new Pair(ids[i], ids[i + 1]), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The most frequent pair; among equally frequent pairs, the one with the smaller ids. */
    static Pair mostFrequent(Map<Pair, Long> counts) {
        Pair best = null;
        long bestCount = 0;
        for (Map.Entry<Pair, Long> e : counts.entrySet()) {
            long count = e.getValue();
            if (count > bestCount || (count == bestCount && e.getKey().comesBefore(best))) {
                best = e.getKey();
                bestCount = count;
            }
        }
        return best;
    }

    /** {@code ids} with each occurrence of {@code pair}, from left to right, replaced by {@code newId}. */
    static int[] merge(int[] ids, Pair pair, int newId) {
        int[] out = new int[ids.length];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i + 1 < ids.length && ids[i] == pair.left() && ids[i + 1] == pair.right()) {
                out[n++] = newId;
                i++; // both ids are used up: "aaa" with a+a gives [aa, a]
            } else {
                out[n++] = ids[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private int addMerge(Pair pair) {
        merges.add(pair);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(tokenBytes.get(pair.left()));
        both.writeBytes(tokenBytes.get(pair.right()));
        tokenBytes.add(both.toByteArray()); // the new token stands for the bytes of both, one after the other
        return tokenBytes.size() - 1;
    }

    /** The token ids of {@code text}: each chunk starts as its bytes, then every merge is applied in turn. */
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        preTokenizer.split(text, chunk -> {
            int[] ids = byteIds(chunk);
            for (int k = 0; k < merges.size() && ids.length > 1; k++) {
                ids = merge(ids, merges.get(k), FIRST_MERGE_ID + k);
            }
            Arrays.stream(ids).forEach(out::add);
        });
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The text the ids stand for: their bytes, one token after another, read as UTF-8. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            bytes.writeBytes(tokenBytes.get(id));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int[] byteIds(String chunk) {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = BYTE_ID[bytes[i] & 0xFF];
        }
        return ids;
    }

    /** The merges in the order learned. */
    public List<Pair> merges() {
        return List.copyOf(merges);
    }

    /** Token {@code id} in its visible form ({@link ByteLevel}), e.g. "Ġthe" for " the". */
    public String token(int id) {
        return ByteLevel.toVisible(tokenBytes.get(id));
    }

    public int vocabSize() {
        return tokenBytes.size();
    }
}
