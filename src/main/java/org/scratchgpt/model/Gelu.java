package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;

/**
 * GELU, the smooth cousin of ReLU that GPT-2 uses: x times the probability that a standard normal variable is
 * below x, 0.5 x (1 + erf(x / sqrt 2)). {@link FeedForward} uses that exact form by default through DJL's
 * {@code Activation.gelu} (one fused libtorch kernel, as nanoGPT's {@code nn.GELU()}). GPT-2 itself computed the
 * tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), written out here; the two differ by less
 * than 5e-4 everywhere, and matching GPT-2's published outputs needs the tanh form ({@link GeluForm#TANH}).
 */
public final class Gelu {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Gelu() {}

    /** GELU by the tanh approximation, element-wise; the result has x's shape. */
    public static NDArray tanhApproximation(NDArray x) {
        // Scalars, not x.mul(0.5): the backward pass reads each number, and DJL's own one may be freed by then.
        NDArray cube = x.mul(x).mul(x);                                                  // x^3
        NDArray inner = Scalars.times(Scalars.times(cube, 0.044715).add(x), SQRT_2_OVER_PI); // sqrt(2/pi) (x + 0.044715 x^3)
        return Scalars.times(inner.tanh().add(1).mul(x), 0.5);                         // 0.5 x (1 + tanh(inner))
    }
}
