package org.scratchgpt.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.scratchgpt.plan.SpeedRatio;
import org.scratchgpt.plan.Timing;

/**
 * ScratchGPT and a peer timed in turns: on a machine whose load changes from minute to minute one run of each
 * says nothing (the same PyTorch command gave 605 and 2,043 tokens/s minutes apart), so each round times both,
 * ScratchGPT first in even rounds and the peer first in odd ones, and the figures are medians over the rounds with
 * their spread. The ratio is the ratio of the medians; the ratios of single rounds give its spread, and rounds that
 * disagree widely say the machine was busy ({@link SpeedRatio#busy()}).
 *
 * @param ours ScratchGPT's figure of each round (seconds of a step or a generation)
 * @param theirs the peer's figure of each round, in the same unit
 */
public record TakingTurns(double[] ours, double[] theirs) {

    /** One timed run of one side, returning seconds (a median of steps, or one generation). */
    @FunctionalInterface
    public interface Side {
        double seconds() throws IOException;
    }

    /** Times {@code rounds} rounds of both sides, alternating which goes first. */
    public static TakingTurns take(int rounds, Side ours, Side theirs) throws IOException {
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                a[i] = ours.seconds();
                b[i] = theirs.seconds();
            } else {
                b[i] = theirs.seconds();
                a[i] = ours.seconds();
            }
        }
        return new TakingTurns(a, b);
    }

    public int rounds() {
        return ours.length;
    }

    public double oursMedian() {
        return Timing.median(ours.clone());
    }

    public double theirsMedian() {
        return Timing.median(theirs.clone());
    }

    /** How many times faster ScratchGPT is: the peer's median seconds over ours (above 1: ScratchGPT is faster). */
    public double speedUp() {
        return theirsMedian() / oursMedian();
    }

    /** The single rounds' ratios: their spread and whether they disagree. */
    public SpeedRatio singleRounds() {
        return SpeedRatio.of(ours, theirs, rounds());
    }

    /** A median with its spread, scaled (e.g. 1000 for ms): "612.3 (598.1-640.2)". */
    public static String medianAndSpread(double[] values, double scale) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", scale * Timing.median(values.clone()),
                scale * sorted[0], scale * sorted[sorted.length - 1]);
    }

    /** Work of {@code units} (e.g. new tokens) per second, median and spread: "17.9 (16.3-18.2)". */
    public static String rates(double[] seconds, double units) {
        return medianAndSpread(Arrays.stream(seconds).map(s -> units / s).toArray(), 1);
    }

    /** E.g. "ScratchGPT / PyTorch: 1.08x tokens/s (single rounds 1.02x to 1.12x over 3 rounds)". */
    public String ratioLine(String what) {
        SpeedRatio single = singleRounds();
        return String.format(Locale.ROOT, "ScratchGPT / PyTorch: %.2fx %s, the ratio of the medians (single rounds"
                + " %s)", speedUp(), what, single.spread().isEmpty() ? "1 round" : single.spreadAndVerdict());
    }
}
