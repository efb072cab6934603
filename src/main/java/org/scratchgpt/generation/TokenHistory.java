package org.scratchgpt.generation;

import java.util.Arrays;

/**
 * The ids of one generation so far: the prompt, then each new id as it is sampled. The array grows as ids come,
 * doubling as an ArrayList does, so a generous max new tokens costs nothing until those tokens exist: an array
 * sized for it up front would take 4 GB for a billion tokens, and cannot be made at all for Integer.MAX_VALUE.
 */
public final class TokenHistory {
    private static final int FIRST_CAPACITY = 256;

    private int[] ids;
    private int length;

    public TokenHistory(int[] prompt) {
        ids = Arrays.copyOf(prompt, Math.max(FIRST_CAPACITY, 2 * prompt.length));
        length = prompt.length;
    }

    public void append(int id) {
        if (length == ids.length) {
            // Doubling keeps appends cheap on average; the JVM's own limit ends growth near Integer.MAX_VALUE ids.
            ids = Arrays.copyOf(ids, (int) Math.min(2L * ids.length, Integer.MAX_VALUE - 8));
        }
        ids[length++] = id;
    }

    /** How many ids there are so far. */
    public int length() {
        return length;
    }

    /** The last {@code count} ids, or all of them if there are fewer: the window the model sees. */
    int[] last(int count) {
        return Arrays.copyOfRange(ids, Math.max(0, length - count), length);
    }

    /** The ids from {@code start} on, e.g. those generated after a prompt of {@code start} ids. */
    int[] from(int start) {
        return Arrays.copyOfRange(ids, start, length);
    }
}
