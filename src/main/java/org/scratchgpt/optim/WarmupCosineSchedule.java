package org.scratchgpt.optim;

import ai.djl.training.tracker.Tracker;
import org.scratchgpt.UserError;

/**
 * nanoGPT's learning-rate schedule ({@code get_lr}): a linear warmup, a cosine decay, then a floor.
 *
 * <pre>
 *   it &lt; warmup               lr = maxLr * (it + 1) / (warmup + 1)
 *   warmup &lt;= it &lt;= decay     lr = minLr + (maxLr - minLr) * (1 + cos(pi * (it - warmup) / (decay - warmup))) / 2
 *   it &gt; decay                lr = minLr
 * </pre>
 *
 * The warmup exists because Adam's first steps are its least informed (m and v have seen a few batches at most)
 * while the freshly initialised weights are most fragile; starting small and growing avoids an early blow-up.
 * The cosine then lowers the rate smoothly so the model can settle into a minimum instead of bouncing around it.
 *
 * <p>Iterations are counted from 0, as in nanoGPT. DJL's optimizers (and {@link AdamW}) ask a tracker with the
 * update number t, which is 1 for the first update; {@link #getNewValue} therefore returns
 * {@code learningRate(t - 1)}, so update t uses the rate nanoGPT uses at iteration t - 1.
 */
public final class WarmupCosineSchedule implements Tracker {

    private final double maxLearningRate;
    private final double minLearningRate;
    private final int warmupSteps;
    private final int decaySteps;

    /**
     * @param maxLearningRate the peak, reached at the end of the warmup (nanoGPT {@code learning_rate}, 6e-4)
     * @param minLearningRate the floor (nanoGPT {@code min_lr}, about maxLr / 10)
     * @param warmupSteps iterations of linear warmup (nanoGPT {@code warmup_iters})
     * @param decaySteps the iteration at which the cosine reaches minLr (nanoGPT {@code lr_decay_iters})
     */
    public WarmupCosineSchedule(double maxLearningRate, double minLearningRate, int warmupSteps, int decaySteps) {
        if (!(maxLearningRate > 0 && Double.isFinite(maxLearningRate))) {
            throw new UserError("learning_rate " + maxLearningRate + " must be a number above 0, such as 6e-4");
        }
        if (!(minLearningRate >= 0 && minLearningRate <= maxLearningRate)) {
            throw new UserError("min_lr " + minLearningRate + " must be between 0 and learning_rate " + maxLearningRate
                    + ": nanoGPT uses learning_rate / 10");
        }
        if (warmupSteps < 0) {
            throw new UserError("warmup_iters " + warmupSteps + " must be 0 or more");
        }
        if (decaySteps <= warmupSteps) {
            throw new UserError("lr_decay_iters " + decaySteps + " must be greater than warmup_iters " + warmupSteps
                    + " (the cosine runs between them): set it to about max_iters");
        }
        this.maxLearningRate = maxLearningRate;
        this.minLearningRate = minLearningRate;
        this.warmupSteps = warmupSteps;
        this.decaySteps = decaySteps;
    }

    /** The learning rate at iteration {@code iteration} (0 for the first), exactly nanoGPT's {@code get_lr(it)}. */
    public double learningRate(int iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iterations count from 0, got " + iteration);
        }
        if (iteration < warmupSteps) {
            return maxLearningRate * (iteration + 1) / (warmupSteps + 1);
        }
        if (iteration > decaySteps) {
            return minLearningRate;
        }
        double decayRatio = (double) (iteration - warmupSteps) / (decaySteps - warmupSteps); // 0 .. 1
        double coefficient = 0.5 * (1.0 + Math.cos(Math.PI * decayRatio));                  // 1 .. 0
        return minLearningRate + coefficient * (maxLearningRate - minLearningRate);
    }

    /** DJL's view: the rate for update number {@code numUpdate}, which counts from 1. */
    @Override
    public float getNewValue(int numUpdate) {
        return (float) learningRate(numUpdate - 1);
    }
}
