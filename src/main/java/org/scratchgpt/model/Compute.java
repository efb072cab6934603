package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import org.scratchgpt.UserError;

/**
 * How the model does its heavy arithmetic: in which {@link Precision}, and whether attention is the explicit,
 * readable reference or one fused kernel. Neither changes the model's shape or its weights, so a checkpoint
 * trained one way loads and runs the other way.
 *
 * @param precision the number format of the matrix multiplications and attention
 * @param fusedAttention whether attention runs as {@code scaled_dot_product_attention} instead of written out
 */
public record Compute(Precision precision, boolean fusedAttention) {

    /** float32 and explicit attention: slow and plain, the reference the other paths are tested against. */
    public static final Compute REFERENCE = new Compute(Precision.FP32, false);

    public Compute {
        if (precision.isReduced() && !fusedAttention) {
            throw new UserError("explicit attention is the float32 reference; " + precision.cliName()
                    + " runs attention fused: use --attention fused with --precision " + precision.cliName());
        }
    }

    /**
     * x W^T for a weight that is not a {@link Projection}'s own (the tied output head; the benchmark's peak):
     * (..., in) x (out, in) -> (..., out).
     */
    public NDArray linear(NDArray x, NDArray weight, boolean training) {
        return precision.isReduced() ? TorchKernels.linear(precision, false).apply(training, x, weight)
                : Linear.linear(x, weight).singletonOrThrow();
    }

    /**
     * Fused causal attention: (B, nh, T, hs) x3 -> (B, nh, T, hs), with dropout on the weights while training; in a
     * 16-bit precision the result stays 16-bit, for the output projection to read.
     */
    NDArray fusedCausalAttention(NDArray q, NDArray k, NDArray v, double dropout, boolean training) {
        return TorchKernels.causalAttention(precision, dropout).apply(training, q, k, v);
    }

    /**
     * Attention in one kernel with a given additive mask (0 = may look, minus infinity = may not): q (B, nh, Tq, hs),
     * k and v (B, nh, Tk, hs), mask (Tq, Tk) -> (B, nh, Tq, hs). For a KV cache, where Tq new queries meet Tk > Tq
     * keys and the kernel's own causal flag would mask the wrong corner. Inference only: no dropout.
     */
    NDArray fusedMaskedAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        return TorchKernels.maskedAttention(precision).apply(false, q, k, v, mask);
    }
}
