package org.scratchgpt.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;

/**
 * Clipping by the global gradient norm, as {@code torch.nn.utils.clip_grad_norm_} does. All gradients of the model
 * are seen as one long vector; its length is {@code total = sqrt(sum over tensors of ||g||²)}. When that exceeds
 * {@code maxNorm}, every gradient is scaled by {@code maxNorm / (total + 1e-6)}: the direction of the step is kept,
 * only its size is capped. One unlucky batch with a huge gradient then cannot throw the weights far away.
 *
 * <p>This is not DJL's {@code optClipGrad}, which clamps each number on its own and so bends the direction.
 *
 * <p>It reads and scales {@code parameter.getArray()}'s gradient, which is the gradient the backward pass wrote
 * when the model is trained on the device its parameters live on (DJL's {@code ParameterStore} then uses the
 * parameter arrays themselves). Call it between the last backward pass and the optimizer step.
 */
public final class GradientClipping {

    /** Added to the norm before dividing, as torch does, so that a zero gradient never divides by zero. */
    static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {}

    /**
     * Scales all gradients in place so their global norm is at most {@code maxNorm} (nanoGPT's {@code grad_clip},
     * 1.0). Returns the norm before clipping, for the training log. A non-finite norm (a NaN or infinite gradient
     * somewhere) is returned as it is and nothing is scaled: the training loop should treat it as divergence.
     */
    public static double clipToGlobalNorm(ParameterList parameters, double maxNorm) {
        if (!(maxNorm > 0 && Double.isFinite(maxNorm))) {
            throw new UserError("grad_clip " + maxNorm + " must be a number above 0, such as 1.0"
                    + " (to train without clipping, skip the clipping step instead)");
        }
        double total = globalNorm(parameters);
        scaleGradients(parameters, clippingFactor(total, maxNorm));
        return total;
    }

    /** What the gradients are multiplied by so their norm is at most {@code maxNorm}: 1 when it already is. */
    public static double clippingFactor(double norm, double maxNorm) {
        if (!Double.isFinite(norm)) {
            return 1; // a diverged step is not touched: the loop reports it or skips it
        }
        return Math.min(1, maxNorm / (norm + NORM_EPSILON)); // torch clamps the factor at 1: clipping only shrinks
    }

    /** Multiplies every trainable gradient by {@code factor} in place (nothing to do for 1). */
    public static void scaleGradients(ParameterList parameters, double factor) {
        if (factor == 1) {
            return;
        }
        for (NDArray weight : trainableWeights(parameters)) {
            try (NDArray gradient = weight.getGradient()) { // a handle on the gradient; closing frees only it
                gradient.muli((float) factor);
            }
        }
    }

    /** The global L2 norm of all gradients, sqrt(sum ||g||²), without changing them. */
    public static double globalNorm(ParameterList parameters) {
        List<NDArray> weights = trainableWeights(parameters);
        if (weights.isEmpty()) {
            return 0;
        }
        try (NDManager scratch = weights.get(0).getManager().newSubManager()) {
            NDList squaredNorms = new NDList();
            for (NDArray weight : weights) {
                NDArray gradient = weight.getGradient();
                gradient.attach(scratch);                    // so that closing scratch frees the handle
                // Each squared copy is freed at once: kept until scratch closes, together they would hold as much
                // memory as all the gradients, for a moment at the end of every step.
                try (NDArray squares = gradient.square()) {  // the weight's shape
                    squaredNorms.add(squares.sum());         // (), on scratch like the gradient
                }
            }
            // Stacked and summed on the device, then read once: one wait for the device per step, not one per tensor.
            NDArray sum = NDArrays.stack(squaredNorms).toType(DataType.FLOAT64, false).sum(); // (n) -> ()
            return Math.sqrt(sum.getDouble());
        }
    }

    private static List<NDArray> trainableWeights(ParameterList parameters) {
        List<NDArray> weights = new ArrayList<>();
        for (Parameter parameter : parameters.values()) {
            if (parameter.requiresGradient()) {
                weights.add(parameter.getArray());
            }
        }
        return weights;
    }
}
