package org.scratchgpt.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Setting gradients back to zero. PyTorch adds every backward pass into the gradients already there, and DJL's
 * {@code GradientCollector} never clears them; so something must, once the optimizer has used them, or the next
 * step would see the sum of all steps so far. DJL's own optimizers do it at the end of each update, through the
 * same native call used here ({@code PtNDArrayEx.adamUpdate} calls {@code JniUtils.zeroGrad}); {@link AdamW} does
 * it too. Leaving that to the optimizer is what makes gradient accumulation work: k backward passes add up, one
 * step uses the sum and clears it.
 *
 * <p>Why the native call and not arithmetic on {@code getGradient()}: {@code muli(0)} keeps NaN and infinity
 * (NaN * 0 = NaN), and DJL 0.35.1's {@code set(NDIndex, Number)} leaves a scalar array on the manager at every call.
 * {@code zeroGrad} runs {@code grad.zero_()} in place, allocates nothing, and skips a parameter that has had no
 * backward pass yet.
 */
public final class Gradients {

    private Gradients() {}

    /** Zeroes the gradient of one weight in place. */
    public static void zero(NDArray weight) {
        if (!(weight instanceof PtNDArray tensor)) {
            throw new IllegalStateException("ScratchGPT trains on DJL's PyTorch engine, but this weight is a "
                    + weight.getClass().getName());
        }
        JniUtils.zeroGrad(tensor);
    }

    /** Zeroes the gradients of every trainable parameter in the list. */
    public static void zero(ParameterList parameters) {
        for (Parameter parameter : parameters.values()) {
            if (parameter.requiresGradient()) {
                zero(parameter.getArray());
            }
        }
    }
}
