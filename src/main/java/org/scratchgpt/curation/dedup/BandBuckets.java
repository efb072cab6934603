package org.scratchgpt.curation.dedup;

import java.util.function.IntPredicate;

/**
 * The LSH buckets: for every band of every kept document, its 32-bit band key and the document's number (its index in
 * the {@link SignatureStore}). Many documents may share a key, so this is a multimap: open addressing with linear
 * probing, each entry one {@code long} (key in the high half, number + 1 in the low half, so 0 means an empty slot),
 * and all entries of a key lie in the probe run that starts at the key's home slot.
 *
 * <p>Memory is 8 bytes per entry in tables kept between 1/2 and 3/4 full (each grows by half when 3/4 full), i.e. 11
 * to 16 bytes per band per document. The table is split into {@value #SEGMENTS} segments by the key's top bits, each
 * growing on its own, so that growing never needs two copies of the whole table at once. Since a segment's length is
 * not a power of two, the home slot of a key is its low bits scaled to the length (Lemire's multiply-shift "fast
 * range") rather than a bit mask.
 */
final class BandBuckets {
    private static final int SEGMENTS = 64;
    private static final int SEGMENT_BITS = 6;
    private static final int HOME_BITS = 32 - SEGMENT_BITS;
    private static final int INITIAL_SLOTS = 1 << 8;

    private final long[][] segments = new long[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];

    BandBuckets() {
        for (int s = 0; s < SEGMENTS; s++) {
            segments[s] = new long[INITIAL_SLOTS];
        }
    }

    void add(int key, int documentNumber) {
        int segment = key >>> HOME_BITS;
        if (sizes[segment] + 1 > segments[segment].length / 4 * 3) {
            segments[segment] = grown(segments[segment]);
        }
        insert(segments[segment], entry(key, documentNumber));
        sizes[segment]++;
    }

    /** The first document filed under {@code key} (in the order they were added) that {@code test} accepts, or -1. */
    int firstMatch(int key, IntPredicate test) {
        long[] table = segments[key >>> HOME_BITS];
        for (int slot = home(key, table.length); table[slot] != 0; slot = next(slot, table.length)) {
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
        int slot = home((int) (entry >>> 32), table.length);
        while (table[slot] != 0) {
            slot = next(slot, table.length);
        }
        table[slot] = entry;
    }

    /** The key is a hash already: its low bits, as a fraction of 2^26, pick the slot (its top bits picked the segment). */
    private static int home(int key, int length) {
        return (int) (((key & ((1L << HOME_BITS) - 1)) * length) >>> HOME_BITS);
    }

    private static int next(int slot, int length) {
        return slot + 1 == length ? 0 : slot + 1;
    }

    /** The entries of {@code table} in a table half as big again; entries of one key keep their relative order. */
    private static long[] grown(long[] table) {
        long[] bigger = new long[table.length + table.length / 2];
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
