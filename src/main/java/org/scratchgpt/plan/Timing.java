package org.scratchgpt.plan;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Times a piece of work the way a benchmark should on a JIT: a few warm-up runs first (so both sides
 * are compiled and their caches are full), then the median of several timed runs, which one slow run
 * (a GC pause, another process) cannot drag.
 */
public final class Timing {
    private Timing() {}

    /** The median seconds of {@code runs} timed runs after {@code warmups} untimed ones. */
    public static double medianSeconds(int warmups, int runs, LongSupplier work) {
        long sink = 0;
        for (int i = 0; i < warmups; i++) {
            sink += work.getAsLong();
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            sink += work.getAsLong();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        if (sink == 42) {
            System.out.print(""); // keeps the JIT from discarding the work as unused
        }
        return median(seconds);
    }

    /** The middle value (the upper middle for an even count); sorts {@code values} in place. */
    public static double median(double[] values) {
        Arrays.sort(values);
        return values[values.length / 2];
    }
}
