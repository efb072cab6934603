package org.scratchgpt.plan;

import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * How many times faster one piece of work (the candidate) runs than another (the baseline), measured so that advice
 * can rest on it. A single short timing of each side swung from 0.28x to 13x between identical runs on a busy
 * machine, and the advice with it; so the two sides run in alternating rounds (baseline then candidate, then the
 * other way round, so that a drift in the machine's speed hits both alike), each side's figure is its best round
 * (what the hardware does when nothing gets in the way), and the rounds go on until that best-of ratio stops moving.
 * The ratio of every round is kept too: their spread says how much to trust the figure.
 *
 * <p>Advice follows only a clear answer: the candidate is called faster only when every round found it faster (the
 * whole spread above 1, by a margin), slower only when every round found it slower; and a wide spread says the
 * machine was busy while it was measured.
 *
 * @param ratio the baseline's best seconds over the candidate's best seconds: above 1 the candidate is faster
 * @param low the smallest ratio of one round
 * @param high the largest ratio of one round
 * @param rounds how many rounds were timed
 */
public record SpeedRatio(double ratio, double low, double high, int rounds) {
    /** Within 10% of 1 a ratio tells two speeds apart no better than timing noise does. */
    static final double MARGIN = 0.10;
    /** Rounds whose ratios differ by more than this factor were not timed on a quiet machine. */
    static final double WIDE = 1.5;
    /** The best-of ratio has settled when one more round moves it by less than this share. */
    static final double SETTLED = 0.05;

    /** How many rounds: at least {@code min}, at most {@code max}, and no new round after {@code budgetSeconds}. */
    public record Rounds(int min, int max, double budgetSeconds) {}

    /** A ratio known exactly (a test's, or float32 against itself). */
    public static SpeedRatio exactly(double ratio) {
        return new SpeedRatio(ratio, ratio, ratio, 1);
    }

    /**
     * Times the two sides in alternating rounds after one untimed run of each; each supplier runs its work once
     * and returns the seconds it took.
     */
    public static SpeedRatio measure(DoubleSupplier candidateSeconds, DoubleSupplier baselineSeconds, Rounds rounds) {
        candidateSeconds.getAsDouble(); // warm-up: first runs pay for compiling, allocating, loading kernels
        baselineSeconds.getAsDouble();
        return measureWarm(candidateSeconds, baselineSeconds, rounds);
    }

    /** The same without the untimed runs, for work its caller has warmed up already. */
    public static SpeedRatio measureWarm(DoubleSupplier candidateSeconds, DoubleSupplier baselineSeconds,
            Rounds rounds) {
        long start = System.nanoTime();
        double[] candidate = new double[rounds.max()];
        double[] baseline = new double[rounds.max()];
        int done = 0;
        double previous = Double.NaN;
        while (done < rounds.max()) {
            boolean baselineFirst = done % 2 == 0;
            baseline[done] = baselineFirst ? baselineSeconds.getAsDouble() : Double.NaN;
            candidate[done] = candidateSeconds.getAsDouble();
            if (!baselineFirst) {
                baseline[done] = baselineSeconds.getAsDouble();
            }
            done++;
            double best = of(candidate, baseline, done).ratio();
            boolean settled = Math.abs(best / previous - 1) < SETTLED;
            boolean overBudget = (System.nanoTime() - start) / 1e9 > rounds.budgetSeconds();
            if (done >= rounds.min() && (settled || overBudget)) {
                break;
            }
            previous = best;
        }
        return of(candidate, baseline, done);
    }

    /** The ratio of the first {@code rounds} paired timings, each side's best, with the rounds' spread. */
    public static SpeedRatio of(double[] candidateSeconds, double[] baselineSeconds, int rounds) {
        double bestCandidate = Double.POSITIVE_INFINITY;
        double bestBaseline = Double.POSITIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (int i = 0; i < rounds; i++) {
            bestCandidate = Math.min(bestCandidate, candidateSeconds[i]);
            bestBaseline = Math.min(bestBaseline, baselineSeconds[i]);
            double round = baselineSeconds[i] / candidateSeconds[i];
            low = Math.min(low, round);
            high = Math.max(high, round);
        }
        return new SpeedRatio(bestBaseline / bestCandidate, low, high, rounds);
    }

    /** Faster in every round, by more than the margin. */
    public boolean faster() {
        return low > 1 + MARGIN;
    }

    /** Slower in every round, by more than the margin. */
    public boolean slower() {
        return high < 1 - MARGIN;
    }

    /** The rounds disagree widely: something else ran while they were timed. */
    public boolean busy() {
        return high / low > WIDE;
    }

    /** The best-of figure, e.g. "4.0x": two significant digits, so that a tiny ratio reads 0.011x, not 0.01x. */
    public String figure() {
        return String.format(Locale.ROOT, "%.2gx", ratio);
    }

    /** The rounds' spread, e.g. "3.8x to 4.1x over 5 rounds"; empty for a ratio known exactly. */
    public String spread() {
        return rounds == 1 ? "" : String.format(Locale.ROOT, "%.2gx to %.2gx over %d rounds", low, high, rounds);
    }

    /** The spread with a word on the machine where the rounds disagree widely: "0.95x to 1.7x over 3 rounds, which
     * disagree: the machine is busy". */
    public String spreadAndVerdict() {
        return spread() + (busy() ? ", which disagree: the machine is busy" : "");
    }
}
