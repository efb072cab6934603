package org.scratchgpt.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scratchgpt.io.MachineLoad;

/**
 * What a person watching a run sees, on standard error: a DJL training listener that opens a progress bar when
 * training begins (step, loss, learning rate, tokens/s; the bar adds the ETA) and closes it at the end. Without a
 * terminal (a log file, CI) it writes plain lines instead, with the ETA, as {@link ProgressLines} says when. The
 * lines are the run's own output, written as they are: no logger's "[INFO] TrainingLog -" in front of each.
 * {@link BusyMachineWatch} adds one note when the machine is busy.
 */
final class TrainingLog extends TrainingListenerAdapter {
    private static final long LOAD_CHECK_NANOS = 60_000_000_000L; // the load average moves over a minute anyway

    private final long firstStep;
    private final long lastStep;
    private final boolean showProgressBar;
    private final int logInterval;
    private final PrintStream err;
    private final LongSupplier clock;
    private final DoubleSupplier loadAverage;
    private final BusyMachineWatch busy = new BusyMachineWatch();
    private ProgressLines lines;
    private long lastLoadCheck;
    private ProgressBar bar;

    TrainingLog(long firstStep, long lastStep, boolean showProgressBar, int logInterval) {
        this(firstStep, lastStep, showProgressBar, logInterval, System.err, System::nanoTime, MachineLoad::loadAverage);
    }

    /** The same, writing to {@code err}, with the time and the load average from the given sources (for tests). */
    TrainingLog(long firstStep, long lastStep, boolean showProgressBar, int logInterval, PrintStream err,
            LongSupplier clock, DoubleSupplier loadAverage) {
        this.firstStep = firstStep;
        this.lastStep = lastStep;
        this.showProgressBar = showProgressBar;
        this.logInterval = logInterval;
        this.err = err;
        this.clock = clock;
        this.loadAverage = loadAverage;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        long now = clock.getAsLong();
        lines = new ProgressLines(firstStep, lastStep, logInterval, now);
        checkLoad(now);
        if (showProgressBar) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(lastStep).startsFrom(firstStep, java.time.Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
        }
    }

    /** Shows one finished step, which took {@code seconds}. */
    void step(long step, TrainingStep.Result result, double learningRate, double tokensPerSecond, double seconds) {
        long now = clock.getAsLong();
        busy.step(seconds).ifPresent(this::print);
        if (now - lastLoadCheck >= LOAD_CHECK_NANOS) {
            checkLoad(now);
        }
        String numbers = String.format(Locale.ROOT, "loss %.4f | lr %.2e | %,.0f tok/s", result.loss(), learningRate,
                tokensPerSecond);
        if (bar != null) {
            bar.stepTo(step + 1);
            bar.setExtraMessage(numbers);
        } else if (lines.due(step, now)) {
            print("step " + step + "/" + lastStep + " | " + numbers + " | " + lines.eta(step, now));
        }
    }

    /** Shows an evaluation, above the bar. */
    void evaluation(Evaluation.Result result) {
        print(String.format(Locale.ROOT, "step %d: train loss %.4f, val loss %.4f, val perplexity %.2f, %.3f bits/byte",
                result.step(), result.trainLoss(), result.valLoss(), result.perplexity(), result.bitsPerByte()));
    }

    private void checkLoad(long now) {
        lastLoadCheck = now;
        busy.load(loadAverage.getAsDouble(), MachineLoad.cores()).ifPresent(this::print);
    }

    /** One line; on a terminal, over the bar's line, which the bar draws again below it. */
    private void print(String line) {
        if (bar != null) {
            err.print("\r\033[K"); // clear the bar's line so that this one prints on a line of its own
        }
        err.println(line);
        err.flush();
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (bar != null) {
            bar.close();
        }
    }
}
