package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;

/**
 * Which formula the MLP's GELU computes (JSON {@code gelu}), as PyTorch's {@code nn.GELU(approximate=...)}:
 * the exact erf form that nanoGPT trains with, or the tanh approximation that OpenAI trained GPT-2 with. The two
 * differ by less than 5e-4, but published GPT-2 weights reproduce GPT-2's outputs only with the tanh form.
 */
public enum GeluForm {
    /** 0.5 x (1 + erf(x / sqrt 2)), one fused libtorch kernel. */
    EXACT,
    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GPT-2's "gelu_new". */
    TANH;

    /**
     * GELU of x, element-wise; the result has x's shape. The tanh form runs as one TorchScript function, one call
     * where the written-out {@link Gelu#tanhApproximation} (its readable reference, tested equal) makes eight.
     * (That function first came in because the written-out form gave NaN gradients now and then; the cause was
     * DJL's {@code x.mul(0.5)}, whose number Java could free before the backward pass read it: see {@link Scalars}.)
     * {@code training} must say whether a backward pass follows: outside training the function runs in libtorch's
     * inference mode, whose results autograd cannot use.
     */
    public NDArray apply(NDArray x, boolean training) {
        return this == TANH ? TorchKernels.tanhGelu().apply(training, x) : Activation.gelu(x);
    }

    /** The spelling used in JSON files and on the command line. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The form named {@code text} (any letter case). */
    public static GeluForm parse(String text) {
        for (GeluForm form : values()) {
            if (form.jsonName().equalsIgnoreCase(text.strip())) {
                return form;
            }
        }
        throw new UserError("unknown gelu '" + text + "': use one of "
                + Arrays.stream(values()).map(GeluForm::jsonName).collect(Collectors.joining(", ")));
    }
}
