package org.scratchgpt.tokenizer;

import java.util.Arrays;

/**
 * The learned merges as a lookup: (left id, right id) to (rank, merged id).
 *
 * <p>The encoder asks "is this adjacent pair a merge, and how early was it learned?" for every pair
 * of every new word, so this is an open-addressing hash table over primitive longs rather than a
 * {@code HashMap<Long, ...>} that would box a key on every question.
 */
final class MergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;
    private int size;

    MergeTable(int expectedMerges) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedMerges) * 2) * 2; // load factor <= 0.5
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        ranks = new int[capacity];
        mergedIds = new int[capacity];
        mask = capacity - 1;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Adds a merge; if the pair is already known the earlier (lower) rank is kept. */
    void put(int left, int right, int rank, int mergedId) {
        int slot = find(key(left, right));
        if (keys[slot] == EMPTY) {
            if (2 * (size + 1) > keys.length) {
                throw new IllegalStateException("MergeTable is full: expectedMerges was too small");
            }
            keys[slot] = key(left, right);
            ranks[slot] = rank;
            mergedIds[slot] = mergedId;
            size++;
        }
    }

    /** The rank of the merge of this pair (0 = learned first), or -1 when the pair never merges. */
    int rank(int left, int right) {
        int slot = find(key(left, right));
        return keys[slot] == EMPTY ? -1 : ranks[slot];
    }

    /** The id of the token the pair merges into; only valid when {@link #rank} is not -1. */
    int mergedId(int left, int right) {
        return mergedIds[find(key(left, right))];
    }

    int size() {
        return size;
    }

    private int find(long key) {
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask; // Fibonacci hashing spreads the bits
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
