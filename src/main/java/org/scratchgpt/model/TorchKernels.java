package org.scratchgpt.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.torchscript.TorchScriptFunction;

/**
 * The operations the model runs as TorchScript because DJL 0.35.1 has no way to express them: a Linear
 * layer computed in a 16-bit format, attention as one fused kernel ({@code scaled_dot_product_attention}, flash
 * attention on CUDA), causal or, for a KV cache, with a given mask, and GELU's tanh approximation (see
 * {@link GeluForm}). They take float32 arrays (or arrays already in the 16-bit format) and cast inside, where
 * autograd follows the casts, so float32 gradients reach the float32 weights. As under PyTorch's autocast, a
 * projection's and attention's results stay in the 16-bit format for the next operation to read; a result that
 * feeds a sum of many terms (the logits, for the loss) is returned as float32.
 */
final class TorchKernels {
    private TorchKernels() {}

    /**
     * The kernels by what they are made from: the model asks for one at every Linear and attention call, and the
     * source text need not be written out again each time.
     */
    private static final Map<List<Object>, TorchScriptFunction> KERNELS = new ConcurrentHashMap<>();

    /** y = x W^T (+ b), computed in {@code precision}: (..., in) x (out, in) -> (..., out), returned as float32. */
    static TorchScriptFunction linear(Precision precision, boolean withBias) {
        return KERNELS.computeIfAbsent(List.of("linear", precision, withBias),
                key -> linearSource(precision, withBias, true));
    }

    /**
     * y = x W^T (+ b) computed in {@code precision} and left in it, as PyTorch's autocast leaves a Linear's output:
     * (..., in) x (out, in) -> (..., out). What reads y next (GELU, attention, the next projection) then works on
     * half the bytes, and the casts of the largest activations back to float32 and again to 16 bits, forward and
     * backward, are not made at all. An x already in {@code precision} is not cast again.
     */
    static TorchScriptFunction reducedLinear(Precision precision, boolean withBias) {
        return KERNELS.computeIfAbsent(List.of("reducedLinear", precision, withBias),
                key -> linearSource(precision, withBias, false));
    }

    private static TorchScriptFunction linearSource(Precision precision, boolean withBias, boolean toFloat32) {
        String biasArgument = withBias ? ", bias: Tensor" : "";
        String bias = withBias ? ", " + cast("bias", precision) : "";
        return TorchScriptFunction.of((toFloat32 ? "Linear" : "ReducedLinear") + suffix(precision)
                        + (withBias ? "WithBias" : ""),
                "def forward(self, x: Tensor, weight: Tensor" + biasArgument + ") -> Tensor:\n"
                + "  y = torch.linear(" + cast("x", precision) + ", " + cast("weight", precision) + bias + ")\n"
                + (toFloat32 ? "  return torch.to(y, 6)\n" : "  return y\n"));
    }

    /**
     * Causal attention in one kernel: softmax(q k^T / sqrt(hs) + causal mask) v, with dropout on the weights
     * while training. q, k, v: (B, nh, T, hs) -> (B, nh, T, hs). The (T, T) weights are never stored: the
     * backward pass recomputes them block by block, which is what makes it fast and small.
     */
    static TorchScriptFunction causalAttention(Precision precision, double dropout) {
        return KERNELS.computeIfAbsent(List.of("attention", precision, dropout),
                key -> causalAttentionSource(precision, dropout));
    }

    private static TorchScriptFunction causalAttentionSource(Precision precision, double dropout) {
        String rate = String.format(Locale.ROOT, "%.17g", dropout);
        return TorchScriptFunction.of("CausalAttention" + suffix(precision),
                "def forward(self, q: Tensor, k: Tensor, v: Tensor) -> Tensor:\n"
                + "  p = " + rate + " if self.training else 0.0\n"
                + "  y = torch.scaled_dot_product_attention(" + cast("q", precision) + ", " + cast("k", precision)
                + ", " + cast("v", precision) + ", None, p, True)\n" // no mask array, dropout p, is_causal
                + "  return y\n");
    }

    /**
     * Attention with an additive mask array instead of the causal flag: q (B, nh, Tq, hs), k and v (B, nh, Tk, hs),
     * mask (Tq, Tk) -> (B, nh, Tq, hs). With a KV cache the new queries are the last Tq of Tk positions, and
     * is_causal would align the triangle with the first ones. The mask is cast with q: the kernel wants one dtype.
     */
    static TorchScriptFunction maskedAttention(Precision precision) {
        return KERNELS.computeIfAbsent(List.of("maskedAttention", precision), key -> maskedAttentionSource(precision));
    }

    private static TorchScriptFunction maskedAttentionSource(Precision precision) {
        return TorchScriptFunction.of("MaskedAttention" + suffix(precision),
                "def forward(self, q: Tensor, k: Tensor, v: Tensor, mask: Tensor) -> Tensor:\n"
                + "  y = torch.scaled_dot_product_attention(" + cast("q", precision) + ", " + cast("k", precision)
                + ", " + cast("v", precision) + ", " + cast("mask", precision) + ", 0.0, False)\n" // no dropout
                + "  return y\n");
    }

    /**
     * GPT-2's GELU, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), inside libtorch. (Its own kernel,
     * {@code gelu(x, approximate='tanh')}, is refused by the TorchScript version these archives declare.) Same
     * shape out.
     */
    static TorchScriptFunction tanhGelu() {
        return KERNELS.computeIfAbsent(List.of("tanh-gelu"), key -> TorchScriptFunction.of("TanhGelu",
                "def forward(self, x: Tensor) -> Tensor:\n"
                + "  inner = 0.79788456080286535588 * (x + 0.044715 * x * x * x)\n" // sqrt(2/pi) (x + 0.044715 x^3)
                + "  return 0.5 * x * (1.0 + torch.tanh(inner))\n"));
    }

    private static String cast(String name, Precision precision) {
        return precision.isReduced() ? "torch.to(" + name + ", " + precision.torchDtype() + ")" : name;
    }

    private static String suffix(Precision precision) {
        return precision.name().charAt(0) + precision.name().substring(1).toLowerCase(Locale.ROOT);
    }
}
