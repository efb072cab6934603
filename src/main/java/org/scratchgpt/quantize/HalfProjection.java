package org.scratchgpt.quantize;

import ai.djl.ndarray.NDArray;
import org.scratchgpt.model.Precision;

/**
 * A projection whose weight is kept in bfloat16 or float16, cast once when the model is converted. The model's own
 * 16-bit path keeps float32 weights (training needs them) and casts W at every call, so a generation step would read
 * W's 4 bytes, write 2 and read those 2 again, more than float32 alone; here it reads 2 bytes per weight and nothing
 * else. x (..., in) is cast to the 16-bit format, y = x W^T + b (..., out) is returned in it (as the model's 16-bit
 * projections return it), or as float32 for the output head, whose logits feed a softmax.
 */
public final class HalfProjection extends ConvertedProjection {

    private final NDArray weight; // (out, in) in the 16-bit format
    private final NDArray bias;   // (out) in the 16-bit format, or null
    private final Precision precision;
    private final int resultDtype;

    /**
     * The 16-bit copy of {@code weight} (out, in) and {@code bias} (out, or null), float32 arrays of a loaded model;
     * the copies live as long as the model's arrays. Results as {@code precision}, or float32 if {@code toFloat32}.
     */
    HalfProjection(NDArray weight, NDArray bias, Precision precision, boolean toFloat32) {
        super(precision.cliName(), weight.getShape().get(0));
        if (!precision.isReduced()) {
            throw new IllegalArgumentException("16-bit weights need a 16-bit precision, not " + precision.cliName());
        }
        this.precision = precision;
        // The weight is the first input, so the copy belongs to its manager: it lives as long as the model.
        this.weight = InferenceKernels.cast(precision.torchDtype()).apply(false, weight);
        this.bias = bias == null ? null : InferenceKernels.cast(precision.torchDtype()).apply(false, bias);
        this.resultDtype = toFloat32 ? Precision.FP32.torchDtype() : precision.torchDtype();
    }

    @Override
    NDArray apply(NDArray x) {
        var kernel = InferenceKernels.halfLinear(precision.torchDtype(), bias != null, resultDtype);
        return bias == null ? kernel.apply(false, x, weight) : kernel.apply(false, x, weight, bias); // (..., out)
    }

    @Override
    long bytesRead() {
        long numbers = weight.getShape().size() + (bias == null ? 0 : bias.getShape().size());
        return numbers * precision.bytes();
    }
}
