package org.scratchgpt.optim;

import java.util.Locale;
import org.scratchgpt.UserError;

/**
 * Dynamic loss scaling, for training in float16. float16's smallest normal number is 6e-5, and the gradients of
 * a mean loss are often smaller: in float16 they would lose their bits or vanish. So the loss is multiplied by a
 * large scale S before the backward pass (every gradient grows by S, by the chain rule) and the float32
 * gradients are divided by S before the update. S is as large as can be without overflow (float16 tops out at
 * 65504): when a step's gradients hold an infinity or NaN, that step is skipped and S halves; after a run of
 * {@value #GROWTH_INTERVAL} good steps S doubles. This is torch.cuda.amp.GradScaler's rule, with its constants.
 * bfloat16 and float32 need none of this (their range is float32's): they use {@link #off()}, whose scale is 1.
 */
public final class LossScaler {
    static final double INITIAL_SCALE = 65536;   // 2^16
    static final int GROWTH_INTERVAL = 2000;
    /** Below this even unscaled gradients overflow: scaling cannot help, the forward pass itself overflows. */
    static final double COLLAPSED = 1;

    private final boolean enabled;
    private double scale;
    private int goodSteps;
    private long skippedSteps;

    private LossScaler(boolean enabled, double scale, int goodSteps) {
        this.enabled = enabled;
        this.scale = scale;
        this.goodSteps = goodSteps;
    }

    /** No scaling: the scale is 1 and never changes. */
    public static LossScaler off() {
        return new LossScaler(false, 1, 0);
    }

    /** Dynamic scaling from 2^16. */
    public static LossScaler dynamic() {
        return new LossScaler(true, INITIAL_SCALE, 0);
    }

    /** Dynamic scaling continuing from a checkpoint's state. */
    public static LossScaler restored(double scale, int goodSteps) {
        return new LossScaler(true, scale, goodSteps);
    }

    public boolean enabled() {
        return enabled;
    }

    /** What the loss is multiplied by before backward, and the gradients divided by after. */
    public double scale() {
        return scale;
    }

    public int goodSteps() {
        return goodSteps;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    /** A step whose gradients were all finite was taken: after enough of them, try a larger scale. */
    public void afterGoodStep() {
        if (enabled && ++goodSteps >= GROWTH_INTERVAL) {
            scale *= 2;
            goodSteps = 0;
        }
    }

    /**
     * A step's gradients overflowed: it is skipped and the scale halves. Fails with advice once the scale
     * collapses, since from then on every step would be skipped.
     */
    public void afterOverflow(long step) {
        if (!enabled) {
            throw new IllegalStateException("only a dynamic loss scaler skips steps");
        }
        skippedSteps++;
        goodSteps = 0;
        scale /= 2;
        if (scale < COLLAPSED) {
            throw new UserError(String.format(Locale.ROOT, "the float16 loss scale collapsed to %g at step %d (%d steps"
                    + " skipped): the gradients overflow float16 even unscaled, so the forward pass itself exceeds"
                    + " float16's range (65504). Train with --precision bf16 (float32's range) or fp32, or resume"
                    + " from the last checkpoint with a lower learning_rate", scale, step, skippedSteps));
        }
    }
}
