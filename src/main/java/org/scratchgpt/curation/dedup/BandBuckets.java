package org.scratchgpt.curation.dedup;

import java.util.function.IntPredicate;

/**
 * The LSH buckets: for every band of every kept document, its 32-bit band key and the document's number (its index in
 * the {@link SignatureStore}). Many documents may share a key, so this is a multimap: open addressing with linear
 * probing, each entry one {@code long} (key in the high half, number + 1 in the low half, so 0 means an empty slot),
 * and all entries of a key lie in the probe run that starts at the key's home slot.
 *
 * <p>Memory is 8 bytes per entry in tables kept between 3/8 and 3/4 full, i.e. 11 to 21 bytes per band per document.
 * The table is split into {@value #SEGMENTS} segments by the key's top bits, each growing on its own, so that growing
 * never needs the old and the doubled copy of the whole table at once (that peak would be 3x the table).
 */
final class BandBuckets {
    private static final int SEGMENTS = 64;
    private static final int SEGMENT_BITS = 6;
    private static final int INITIAL_SLOTS = 1 << 8;

    private final long[][] segments = new long[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];

    BandBuckets() {
        for (int s = 0; s < SEGMENTS; s++) {
            segments[s] = new long[INITIAL_SLOTS];
        }
    }

    void add(int key, int documentNumber) {
        int segment = key >>> (32 - SEGMENT_BITS);
        if (sizes[segment] + 1 > segments[segment].length / 4 * 3) {
            segments[segment] = grown(segments[segment]);
        }
        insert(segments[segment], entry(key, documentNumber));
        sizes[segment]++;
    }

    /** The first document filed under {@code key} (in the order they were added) that {@code test} accepts, or -1. */
    int firstMatch(int key, IntPredicate test) {
        long[] table = segments[key >>> (32 - SEGMENT_BITS)];
        int mask = table.length - 1;
        for (int slot = key & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            if ((int) (table[slot] >>> 32) == key) {
                int documentNumber = (int) table[slot] - 1;
                if (test.test(documentNumber)) {
                    return documentNumber;
                }
            }
        }
        return -1;
    }

    long memoryBytes() {
        long bytes = 0;
        for (long[] table : segments) {
            bytes += 8L * table.length;
        }
        return bytes;
    }

    private static long entry(int key, int documentNumber) {
        return ((long) key << 32) | ((documentNumber + 1) & 0xffffffffL);
    }

    private static void insert(long[] table, long entry) {
        int mask = table.length - 1;
        // The key is a hash already; its low bits pick the home slot (its top bits picked the segment).
        int slot = (int) (entry >>> 32) & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = entry;
    }

    /** The entries of {@code table} in a table twice its size; entries of one key keep their relative order. */
    private static long[] grown(long[] table) {
        long[] bigger = new long[table.length * 2];
        // Start at an empty slot so that no probe run is split across the end of the array while copying.
        int start = 0;
        while (table[start] != 0) {
            start++;
        }
        for (int i = 1; i <= table.length; i++) {
            long entry = table[(start + i) % table.length];
            if (entry != 0) {
                insert(bigger, entry);
            }
        }
        return bigger;
    }
}
