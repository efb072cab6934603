package org.scratchgpt.quantize;

import ai.djl.ndarray.NDArray;
import org.scratchgpt.model.Precision;

/**
 * A projection whose weight is kept in bfloat16 or float16, cast once when the model is converted. The model's own
 * 16-bit path keeps float32 weights (training needs them) and casts W at every call, so a generation step would read
 * W's 4 bytes, write 2 and read those 2 again, more than float32 alone; here it reads 2 bytes per weight and nothing
 * else. x (..., in) is cast to the 16-bit format, y = x W^T + b (..., out) is returned in it (as the model's 16-bit
 * projections return it), or as float32 for the output head, whose logits feed a softmax.
 *
 * <p>On a CPU a bfloat16 copy is also laid out once in the blocked order that oneDNN (the CPU matrix library inside
 * libtorch) reads fastest. At batch 1 a step multiplies one row by each matrix, and libtorch's plain bfloat16 product
 * then reads the weights at about a third of the memory bandwidth (the GPT-2 head, 77 MB: 3.9 ms; laid out: 1.3 ms,
 * measured on a 2-core AMD EPYC). Where the layout cannot be made (a GPU, a CPU libtorch's oneDNN cannot run
 * bfloat16 on, float16), the copy stays as it is and {@code torch.linear} multiplies it.
 */
public final class HalfProjection extends ConvertedProjection {

    private final NDArray weight; // (out, in) in the 16-bit format, laid out for oneDNN if oneDnn
    private final long weightNumbers;
    private final boolean oneDnn;
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
        this.weightNumbers = weight.getShape().size();
        NDArray copy = InferenceKernels.cast(precision.torchDtype()).apply(false, weight);
        NDArray laidOut = precision == Precision.BF16 && !weight.getDevice().isGpu() ? oneDnnLayout(copy) : null;
        this.oneDnn = laidOut != null;
        this.weight = oneDnn ? laidOut : copy;
        if (oneDnn) {
            copy.close(); // the layout holds the numbers; the plain copy would only double the memory
        }
        this.bias = bias == null ? null : InferenceKernels.cast(precision.torchDtype()).apply(false, bias);
        this.resultDtype = toFloat32 ? Precision.FP32.torchDtype() : precision.torchDtype();
    }

    /** {@code copy} laid out for oneDNN, or null where libtorch cannot do it here. */
    private static NDArray oneDnnLayout(NDArray copy) {
        try {
            return InferenceKernels.oneDnnLayout().apply(false, copy);
        } catch (RuntimeException cannot) {
            return null;
        }
    }

    /** Whether the weight is laid out for oneDNN (else {@code torch.linear} multiplies the plain 16-bit copy). */
    boolean laidOutForOneDnn() {
        return oneDnn;
    }

    @Override
    NDArray apply(NDArray x) {
        if (oneDnn) {
            var kernel = InferenceKernels.oneDnnLinear(bias != null, resultDtype);
            return bias == null ? kernel.apply(false, x, weight) : kernel.apply(false, x, weight, bias); // (..., out)
        }
        var kernel = InferenceKernels.halfLinear(precision.torchDtype(), bias != null, resultDtype);
        return bias == null ? kernel.apply(false, x, weight) : kernel.apply(false, x, weight, bias); // (..., out)
    }

    @Override
    long bytesRead() {
        long numbers = weightNumbers + (bias == null ? 0 : bias.getShape().size());
        return numbers * precision.bytes();
    }
}
