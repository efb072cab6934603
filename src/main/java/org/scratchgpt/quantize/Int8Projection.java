package org.scratchgpt.quantize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.scratchgpt.model.Precision;

/**
 * A projection with an int8 weight and one scale per output row ({@link Int8Rows}):
 *
 * <pre>
 *   y = (x q^T) · scale + b        x (..., in), q (out, in) int8, scale and b (out), y (..., out)
 * </pre>
 *
 * A generation step reads 1 byte per weight, a quarter of float32. The product runs in bfloat16: x is cast to it,
 * and libtorch's int8 kernel widens q inside its loop, so no 16- or 32-bit copy of the matrix is ever written. Its
 * result is returned as the model's precision says (bfloat16 stays bfloat16; with float32 it is cast back, so the
 * rest of the model computes as before), or as float32 for the output head.
 */
public final class Int8Projection extends ConvertedProjection {

    private final NDArray values; // q, (out, in) int8
    private final NDArray scales; // (out) bfloat16
    private final NDArray bias;   // (out) bfloat16, or null
    private final boolean packed; // whether libtorch's int8 kernel can read this width (see InferenceKernels)
    private final int resultDtype;

    /**
     * Quantizes {@code weight} (out, in) and keeps {@code bias} (out, or null) in bfloat16, from float32 arrays of a
     * loaded model; the copies live as long as the model's arrays. Results as {@code precision}, or float32 if
     * {@code toFloat32}.
     */
    Int8Projection(NDArray weight, NDArray bias, Precision precision, boolean toFloat32) {
        super("int8", weight.getShape().get(0));
        Shape shape = weight.getShape();                                     // (out, in)
        Int8Rows rows = Int8Rows.quantize(weight.toFloatArray(), Math.toIntExact(shape.get(0)),
                Math.toIntExact(shape.get(1)));
        NDManager owner = weight.getManager();                               // the model's: its arrays' lifetime
        this.values = owner.create(rows.values(), shape);                    // (out, in) int8
        try (NDArray float32Scales = owner.create(rows.scales())) {          // (out)
            this.scales = toBfloat16(float32Scales);                         // exact: they are bfloat16 numbers
        }
        this.bias = bias == null ? null : toBfloat16(bias);                  // (out)
        this.packed = shape.get(1) % 16 == 0;
        this.resultDtype = toFloat32 ? Precision.FP32.torchDtype() : precision.torchDtype();
    }

    private static NDArray toBfloat16(NDArray array) {
        return InferenceKernels.cast(InferenceKernels.BFLOAT16).apply(false, array);
    }

    @Override
    NDArray apply(NDArray x) {
        var kernel = InferenceKernels.int8Linear(packed, bias != null, resultDtype);
        return bias == null ? kernel.apply(false, x, values, scales)          // (..., out)
                : kernel.apply(false, x, values, scales, bias);
    }

    @Override
    long bytesRead() {
        return values.getShape().size() + 2 * (scales.getShape().size() + (bias == null ? 0 : bias.getShape().size()));
    }
}
