package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A Linear layer of the model, y = x W^T + b, that computes in the model's {@link Precision}: as DJL's own Linear in
 * float32, else the same product in bfloat16 or float16, whose result stays in that format (as under PyTorch's
 * autocast) until an addition to the float32 residual stream promotes it. Attention's queryKeyValue and outputProjection and the
 * MLP's widen and narrow are projections. Being a DJL Linear, it keeps its weights as one does, {@code weight}
 * (out, in) and {@code bias} (out), so checkpoints and GPT-2's weights load into it as they are.
 *
 * <p>The blocks run their projections like any child block, so a projection can be swapped for another block of
 * the same shape once the model is built (see {@link CausalSelfAttention#replaceProjection}).
 * Input (..., in), output (..., out).
 */
public final class Projection extends Linear {

    private final Compute compute;

    /** A projection with {@code units} outputs; the input width is learnt from the first input shape. */
    Projection(long units, boolean bias, Compute compute) {
        super(Linear.builder().setUnits(units).optBias(bias));
        this.compute = compute;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (!compute.precision().isReduced()) {
            return super.forwardInternal(store, inputs, training, params);    // DJL's Linear, float32
        }
        NDArray x = inputs.singletonOrThrow();                                // (..., in)
        NDArray weight = store.getValue(getParameters().get("weight"), x.getDevice(), training); // (out, in)
        Parameter biasParameter = getParameters().get("bias");
        if (biasParameter == null) {
            return new NDList(TorchKernels.reducedLinear(compute.precision(), false).apply(training, x, weight));
        }
        NDArray bias = store.getValue(biasParameter, x.getDevice(), training);                    // (out)
        return new NDList(TorchKernels.reducedLinear(compute.precision(), true).apply(training, x, weight, bias));
    }
}
