package org.scratchgpt.training;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import org.scratchgpt.plan.Timing;

/**
 * Notices that something else is using the machine, and says so once per run: a run that suddenly takes three
 * times longer is otherwise a mystery (a slow model? a bug?), when the cause is a second job on the same cores.
 * Two signs: the load average (processes that want a core) above the number of cores, and steps that take
 * {@value #SLOWER}x longer than the first ones did. Steps are compared by medians of {@value #WINDOW}, so one slow
 * step (a garbage collection, a checkpoint's write) is no sign; the first {@value #SKIPPED} steps are left out of
 * the start's median, since they are slow anyway while libtorch and the JIT warm up.
 */
final class BusyMachineWatch {
    static final double SLOWER = 3.0;
    static final int WINDOW = 5;
    static final int SKIPPED = 2;

    private final double[] start = new double[WINDOW];
    private final Deque<Double> recent = new ArrayDeque<>();
    private int seen;
    private boolean said;

    /** The note for a load average of {@code loadAverage} on {@code cores} cores, if it is the first note of the run. */
    Optional<String> load(double loadAverage, int cores) {
        if (loadAverage <= cores) {
            return Optional.empty();
        }
        return once(String.format(Locale.ROOT, "note: the load average is %.1f on %d cores: something else is running,"
                + " so steps are slower than this machine can go", loadAverage, cores));
    }

    /** Counts one step of {@code seconds}; the note when steps have become much slower than at the start, once. */
    Optional<String> step(double seconds) {
        if (seen < SKIPPED + WINDOW) {
            if (seen >= SKIPPED) {
                start[seen - SKIPPED] = seconds;
            }
            seen++;
            return Optional.empty();
        }
        recent.addLast(seconds);
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        if (recent.size() < WINDOW) {
            return Optional.empty();
        }
        double ratio = Timing.median(recent.stream().mapToDouble(Double::doubleValue).toArray())
                / Timing.median(start.clone());
        if (ratio < SLOWER) {
            return Optional.empty();
        }
        return once(String.format(Locale.ROOT, "note: steps take %.1fx longer than at the start: is something else"
                + " running?", ratio));
    }

    private Optional<String> once(String note) {
        if (said) {
            return Optional.empty();
        }
        said = true;
        return Optional.of(note);
    }
}
