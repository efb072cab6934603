package org.scratchgpt.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person watching a run sees: a DJL training listener that opens a progress bar when training begins
 * (step, loss, learning rate, tokens/s; the bar adds the ETA) and closes it at the end. Without a terminal (a
 * log file, CI) it writes a plain line every {@code logInterval} steps instead.
 */
final class TrainingLog extends TrainingListenerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLog.class);

    private final long firstStep;
    private final long lastStep;
    private final boolean showProgressBar;
    private final int logInterval;
    private ProgressBar bar;

    TrainingLog(long firstStep, long lastStep, boolean showProgressBar, int logInterval) {
        this.firstStep = firstStep;
        this.lastStep = lastStep;
        this.showProgressBar = showProgressBar;
        this.logInterval = logInterval;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        if (showProgressBar) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(lastStep).startsFrom(firstStep, java.time.Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
        }
    }

    /** Shows one finished step. */
    void step(long step, TrainingStep.Result result, double learningRate, double tokensPerSecond) {
        String numbers = String.format(Locale.ROOT, "loss %.4f | lr %.2e | %,.0f tok/s", result.loss(), learningRate,
                tokensPerSecond);
        if (bar != null) {
            bar.stepTo(step + 1);
            bar.setExtraMessage(numbers);
        } else if (step % logInterval == 0 || step + 1 == lastStep) {
            LOG.info("step {} | {}", step, numbers);
        }
    }

    /** Shows an evaluation, above the bar. */
    void evaluation(Evaluation.Result result) {
        String line = String.format(Locale.ROOT, "step %d: train loss %.4f, val loss %.4f, val perplexity %.2f, %.3f bits/byte",
                result.step(), result.trainLoss(), result.valLoss(), result.perplexity(), result.bitsPerByte());
        if (bar != null) {
            System.err.print("\r\033[K"); // clear the bar's line so the evaluation prints on its own line
        }
        LOG.info(line);
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (bar != null) {
            bar.close();
        }
    }
}
