package org.scratchgpt.training;

import java.util.Locale;

/**
 * When a run without a progress bar (its standard error is a file, a pipe, CI's log) writes a plain line, and the
 * time left that the line shows. A line comes every {@code logInterval} steps, on the last step, and whenever 30
 * seconds have passed since the last one: with large models or a busy machine 50 steps can take an hour, and a log
 * that stays silent that long looks like a hung run.
 */
final class ProgressLines {
    static final long AT_LEAST_EVERY_NANOS = 30_000_000_000L;

    private final long firstStep;
    private final long lastStep;
    private final int logInterval;
    private final long startNanos;
    private long lastLineNanos;

    ProgressLines(long firstStep, long lastStep, int logInterval, long startNanos) {
        this.firstStep = firstStep;
        this.lastStep = lastStep;
        this.logInterval = logInterval;
        this.startNanos = startNanos;
        this.lastLineNanos = startNanos;
    }

    /** Whether finished step {@code step} gets a line at time {@code nowNanos}; if so, the line is counted as written. */
    boolean due(long step, long nowNanos) {
        boolean due = step % logInterval == 0 || step + 1 == lastStep || nowNanos - lastLineNanos >= AT_LEAST_EVERY_NANOS;
        if (due) {
            lastLineNanos = nowNanos;
        }
        return due;
    }

    /**
     * The time left after finished step {@code step}, at the pace since the run (or its resumption) began,
     * evaluations and checkpoints included: e.g. "ETA 3m 05s".
     */
    String eta(long step, long nowNanos) {
        long done = step + 1 - firstStep;
        long left = Math.max(0, lastStep - (step + 1));
        double seconds = done <= 0 ? 0 : (nowNanos - startNanos) / 1e9 / done * left;
        return "ETA " + duration(seconds);
    }

    /** 42s, 3m 05s, 2h 07m. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }
}
