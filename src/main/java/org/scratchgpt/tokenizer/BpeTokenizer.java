package org.scratchgpt.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.UserError;

/**
 * A byte-level BPE tokenizer in the GPT-2 family.
 *
 * <p>Encoding a text takes three steps: cut it into words ({@link PreTokenizer}), write each word as
 * its UTF-8 bytes (one starting token per byte, so any text can be encoded), then apply the learned
 * merges to each word ({@link WordMerger}). Decoding concatenates the bytes of the tokens. Words
 * repeat a lot in real text, so the ids of each word are cached.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final int CACHE_LIMIT = 1 << 18;

    private final Map<String, Integer> vocab;
    private final List<String[]> merges;
    private final SpecialTokens specials;
    private final PreTokenizer preTokenizer;
    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final int[] byteIds = new int[256];
    private final MergeTable mergeTable;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab every BPE token in its visible form ({@link ByteLevel}) with its id
     * @param merges the merges in the order they were learned, each a pair of visible tokens
     * @param specials special tokens; each either absent from {@code vocab} or present with the same id
     * @param preTokenizer how text is cut into words
     */
    public BpeTokenizer(Map<String, Integer> vocab, List<String[]> merges, SpecialTokens specials,
            PreTokenizer preTokenizer) {
        this.vocab = Collections.unmodifiableMap(new LinkedHashMap<>(vocab));
        this.merges = List.copyOf(merges);
        this.specials = specials;
        this.preTokenizer = preTokenizer;
        int size = 1 + Math.max(max(vocab.values()), max(specials.asMap().values()));
        this.tokens = new String[size];
        this.tokenBytes = new byte[size][];
        placeVocabulary();
        placeSpecialTokens();
        findByteTokens();
        this.mergeTable = buildMergeTable();
    }

    // ---------------------------------------------------------------- encoding

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3 + 4);
        encodeOrdinary(text, out);
        return out.toArray();
    }

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        IntList out = new IntList(text.length() / 3 + 4);
        int from = 0;
        SpecialTokens.Match m;
        while ((m = specials.find(text, from)) != null) {
            encodeOrdinary(text.substring(from, m.start()), out);
            out.add(m.id());
            from = m.end();
        }
        encodeOrdinary(text.substring(from), out);
        return out.toArray();
    }

    /**
     * Encodes any bytes, valid UTF-8 or not: valid stretches are encoded as text, every other byte
     * run becomes a word of its own. {@code decodeBytes(encodeBytes(b))} gives back {@code b} exactly.
     */
    public int[] encodeBytes(byte[] bytes) {
        IntList out = new IntList(bytes.length / 3 + 4);
        int i = 0;
        while (i < bytes.length) {
            int validEnd = Utf8.validRunEnd(bytes, i);
            if (validEnd > i) {
                encodeOrdinary(new String(bytes, i, validEnd - i, StandardCharsets.UTF_8), out);
            } else {
                validEnd = Utf8.invalidRunEnd(bytes, i);
                out.addAll(mergeWord(Arrays.copyOfRange(bytes, i, validEnd)));
            }
            i = validEnd;
        }
        return out.toArray();
    }

    private void encodeOrdinary(String text, IntList out) {
        if (!text.isEmpty()) {
            preTokenizer.split(text, word -> out.addAll(encodeWord(word)));
        }
    }

    /** The ids of one word, from the cache when it has been seen before. */
    private int[] encodeWord(String word) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = mergeWord(word.getBytes(StandardCharsets.UTF_8));
            if (cache.size() < CACHE_LIMIT) { // a bounded cache: enough for a corpus' common words
                cache.put(word, ids);
            }
        }
        return ids;
    }

    private int[] mergeWord(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = byteIds[bytes[i] & 0xFF];
            if (ids[i] < 0) {
                // HuggingFace would silently drop the byte; a wrong encoding is worse than an error.
                throw new UserError(String.format("this tokenizer has no token for the byte 0x%02X (in '%s'): it was"
                        + " trained without the full byte alphabet; retrain it with `scratchgpt tokenizer train`, which"
                        + " always includes all 256 bytes", bytes[i] & 0xFF, new String(bytes, StandardCharsets.UTF_8)));
            }
        }
        return WordMerger.merge(ids, mergeTable);
    }

    // ---------------------------------------------------------------- decoding

    @Override
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(bytesOf(id));
        }
        return out.toByteArray();
    }

    private byte[] bytesOf(int id) {
        if (id < 0 || id >= tokenBytes.length || tokenBytes[id] == null) {
            throw new UserError("token id " + id + " is not in this tokenizer's vocabulary (ids 0.."
                    + (tokenBytes.length - 1) + "): were these ids made by another tokenizer?");
        }
        return tokenBytes[id];
    }

    // ---------------------------------------------------------------- what the tokenizer holds

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public String token(int id) {
        bytesOf(id); // validates the id
        return tokens[id];
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specials.asMap();
    }

    /** The special tokens it lacks take the ids after its last one, in the order given. */
    @Override
    public BpeTokenizer withSpecialTokens(List<String> contents) {
        return new BpeTokenizer(vocab, merges, specials.adding(contents, vocabSize()), preTokenizer);
    }

    /** BPE tokens (visible form) to ids, without the special tokens that are not in it. */
    public Map<String, Integer> vocab() {
        return vocab;
    }

    /** The merges in rank order, each a pair of visible tokens. */
    public List<String[]> merges() {
        return merges;
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    /** The byte length of token {@code id}. */
    public int tokenLength(int id) {
        return bytesOf(id).length;
    }

    // ---------------------------------------------------------------- construction and its checks

    private void placeVocabulary() {
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id < 0) {
                throw new UserError("vocabulary token '" + e.getKey() + "' has a negative id " + id);
            }
            if (tokens[id] != null) {
                throw new UserError("tokens '" + tokens[id] + "' and '" + e.getKey() + "' share the id " + id);
            }
            if (!ByteLevel.isVisibleBytes(e.getKey())) {
                throw new UserError("vocabulary token '" + e.getKey() + "' (id " + id + ") is not written with the"
                        + " byte-level alphabet: this is not a byte-level BPE vocabulary");
            }
            tokens[id] = e.getKey();
            tokenBytes[id] = ByteLevel.fromVisible(e.getKey());
        }
    }

    private void placeSpecialTokens() {
        for (Map.Entry<String, Integer> e : specials.asMap().entrySet()) {
            String content = e.getKey();
            int id = e.getValue();
            Integer asBpe = vocab.get(ByteLevel.toVisible(content.getBytes(StandardCharsets.UTF_8)));
            if (asBpe != null && asBpe != id) {
                throw new UserError("special token '" + content + "' (id " + id + ") collides with the BPE token of"
                        + " the same text (id " + asBpe + "): rename the special token, e.g. <|" + content + "|>");
            }
            if (tokens[id] != null && !tokens[id].equals(ByteLevel.toVisible(content.getBytes(StandardCharsets.UTF_8)))) {
                throw new UserError("special token '" + content + "' wants id " + id + ", already taken by '"
                        + tokens[id] + "'");
            }
            tokens[id] = content;
            tokenBytes[id] = content.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Finds the token of each single byte. Tokenizers trained here always have all 256; one trained by
     * HuggingFace without its full initial alphabet lacks the bytes its corpus never contained, and is
     * still usable on text made of the others ({@link #mergeWord} stops at a missing byte).
     */
    private void findByteTokens() {
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevel.charOf(b)));
            byteIds[b] = id == null ? -1 : id;
        }
    }

    private MergeTable buildMergeTable() {
        MergeTable table = new MergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] pair = merges.get(rank);
            Integer left = vocab.get(pair[0]);
            Integer right = vocab.get(pair[1]);
            Integer merged = vocab.get(pair[0] + pair[1]);
            if (left == null || right == null || merged == null) {
                throw new UserError("merge #" + rank + " ('" + pair[0] + "' + '" + pair[1] + "') uses or makes a token"
                        + " that is not in the vocabulary: the merges and the vocabulary do not belong together");
            }
            table.put(left, right, rank, merged);
        }
        return table;
    }

    private static int max(java.util.Collection<Integer> values) {
        int max = -1;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** A growable int array, to collect ids without boxing them. */
    static final class IntList {
        private int[] items;
        private int size;

        IntList(int capacity) {
            items = new int[Math.max(4, capacity)];
        }

        void add(int value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        void addAll(int[] values) {
            if (size + values.length > items.length) {
                items = Arrays.copyOf(items, Math.max(size * 2, size + values.length));
            }
            System.arraycopy(values, 0, items, size, values.length);
            size += values.length;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
