package org.scratchgpt.curation.dedup;

/**
 * A set of 128-bit fingerprints in one {@code long[]} (two longs per slot), with open addressing and linear probing:
 * no object per entry, so a million fingerprints take tens of megabytes rather than the ~100 bytes each that a
 * {@code HashSet<String>} of hex digests would cost. A slot of two zeros is empty; the one fingerprint that is all
 * zeros is stored as (0, 1), which merges it with that neighbour (a 2^-128 chance per pair, never seen in practice).
 * The table doubles when it is 3/4 full.
 */
final class Fingerprints {
    private static final int INITIAL_SLOTS = 1 << 10;

    private long[] slots = new long[2 * INITIAL_SLOTS];
    private long size;

    /** Adds the fingerprint (high, low); returns false if it was already there. */
    boolean add(long high, long low) {
        if (high == 0 && low == 0) {
            low = 1;
        }
        if (size + 1 > capacity() / 4 * 3) {
            grow();
        }
        if (!insert(slots, high, low)) {
            return false;
        }
        size++;
        return true;
    }

    long size() {
        return size;
    }

    long memoryBytes() {
        return 8L * slots.length;
    }

    private int capacity() {
        return slots.length / 2;
    }

    /** Puts (high, low) into {@code table} unless it is there; the low bits of {@code low} choose the first slot. */
    private static boolean insert(long[] table, long high, long low) {
        int mask = table.length / 2 - 1;
        // Both halves are SHA-256 output, already uniformly spread: no further mixing is needed to pick a slot.
        for (int slot = (int) low & mask; ; slot = (slot + 1) & mask) {
            long h = table[2 * slot];
            long l = table[2 * slot + 1];
            if (h == 0 && l == 0) {
                table[2 * slot] = high;
                table[2 * slot + 1] = low;
                return true;
            }
            if (h == high && l == low) {
                return false;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0 || slots[i + 1] != 0) {
                insert(bigger, slots[i], slots[i + 1]);
            }
        }
        slots = bigger;
    }
}
