package org.scratchgpt.quantize;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.torchscript.TorchScriptFunction;

/**
 * The TorchScript the converted projections run: DJL 0.35.1 can neither make a bfloat16 array nor call libtorch's
 * int8 matrix kernel. Dtypes are TorchScript's numbers: 6 float32, 15 bfloat16, 5 float16.
 */
final class InferenceKernels {
    private InferenceKernels() {}

    /** bfloat16: the format the int8 kernel computes in (its fast CPU path wants bfloat16 activations). */
    static final int BFLOAT16 = 15;

    private static final Map<List<Object>, TorchScriptFunction> KERNELS = new ConcurrentHashMap<>();

    /** An array cast to {@code dtype}; same shape. */
    static TorchScriptFunction cast(int dtype) {
        return KERNELS.computeIfAbsent(List.of("cast", dtype), key -> TorchScriptFunction.of("CastTo" + dtype,
                "def forward(self, x: Tensor) -> Tensor:\n"
                + "  return torch.to(x, " + dtype + ")\n"));
    }

    /**
     * y = x W^T (+ b) with W (and b) already in the 16-bit format {@code dtype}: x (..., in) is cast to it, W
     * (out, in) is read as it is, y (..., out) is returned as {@code resultDtype}.
     */
    static TorchScriptFunction halfLinear(int dtype, boolean withBias, int resultDtype) {
        return KERNELS.computeIfAbsent(List.of("half", dtype, withBias, resultDtype), key -> TorchScriptFunction.of(
                "HalfLinear" + dtype + (withBias ? "WithBias" : "") + "To" + resultDtype,
                "def forward(self, x: Tensor, weight: Tensor" + (withBias ? ", bias: Tensor" : "") + ") -> Tensor:\n"
                + "  y = torch.linear(torch.to(x, " + dtype + "), weight" + (withBias ? ", bias" : "") + ")\n"
                + "  return torch.to(y, " + resultDtype + ")\n"));
    }

    /**
     * A bfloat16 weight (out, in) laid out once in the blocked order oneDNN, the CPU matrix library inside libtorch,
     * reads fastest; the layout is chosen for one row of input at a time (a generation step). The result is an array
     * only {@link #oneDnnLinear} reads.
     */
    static TorchScriptFunction oneDnnLayout() {
        return KERNELS.computeIfAbsent(List.of("onednn-layout"), key -> TorchScriptFunction.of("OneDnnLayout",
                "def forward(self, weight: Tensor) -> Tensor:\n"
                + "  return ops.mkldnn._reorder_linear_weight(weight, 1)\n"));
    }

    /**
     * y = x W^T (+ b) through oneDNN, with W in its own layout ({@link #oneDnnLayout}) and b in bfloat16: x (..., in)
     * is cast to bfloat16, y (..., out) is returned as {@code resultDtype}. The same product as {@link #halfLinear},
     * summed in another order.
     */
    static TorchScriptFunction oneDnnLinear(boolean withBias, int resultDtype) {
        return KERNELS.computeIfAbsent(List.of("onednn", withBias, resultDtype), key -> TorchScriptFunction.of(
                "OneDnnLinear" + (withBias ? "WithBias" : "") + "To" + resultDtype,
                "def forward(self, x: Tensor, weight: Tensor" + (withBias ? ", bias: Tensor" : "") + ") -> Tensor:\n"
                + "  y = ops.mkldnn._linear_pointwise(torch.to(x, " + BFLOAT16 + "), weight, "
                + (withBias ? "bias" : "None") + ", \"none\", annotate(List[Optional[number]], []), \"\")\n"
                + "  return torch.to(y, " + resultDtype + ")\n"));
    }

    /**
     * y = (x q^T) · scales (+ b) with q (out, in) int8 and scales (out) and b (out) in bfloat16: x (..., in) is cast
     * to bfloat16, y (..., out) is returned as {@code resultDtype}. libtorch's {@code _weight_int8pack_mm} does the
     * product and the scaling in one pass over q, reading one byte per weight; it takes a matrix (N, in), so the
     * positions are flattened into rows and back. Its CPU kernel reads the input width in blocks of 16 (with any other
     * width it crashed the process here), so for such widths {@code packed} is false and q is widened to bfloat16
     * first, which gives the same numbers more slowly.
     */
    static TorchScriptFunction int8Linear(boolean packed, boolean withBias, int resultDtype) {
        return KERNELS.computeIfAbsent(List.of("int8", packed, withBias, resultDtype), key -> TorchScriptFunction.of(
                "Int8Linear" + (packed ? "Packed" : "Widened") + (withBias ? "WithBias" : "") + "To" + resultDtype,
                "def forward(self, x: Tensor, weight: Tensor, scales: Tensor" + (withBias ? ", bias: Tensor" : "")
                + ") -> Tensor:\n"
                + "  x = torch.to(x, " + BFLOAT16 + ")\n"
                + (packed
                    ? "  rows = torch.reshape(x, [-1, x.size(-1)])\n"                    // (N, in)
                    + "  y = torch._weight_int8pack_mm(rows, weight, scales)\n"        // (N, out)
                    + "  y = torch.reshape(y, x.size()[:-1] + [weight.size(0)])\n"     // (..., out)
                    : "  y = torch.linear(x, torch.to(weight, " + BFLOAT16 + ")) * scales\n")
                + (withBias ? "  y = y + bias\n" : "")
                + "  return torch.to(y, " + resultDtype + ")\n"));
    }
}
