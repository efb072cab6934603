package org.scratchgpt.cli;

import org.scratchgpt.UserError;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Precision;
import picocli.CommandLine.Option;

/** {@code --precision} and {@code --attention}, shared by the commands that run the model. */
final class ComputeOptions {

    @Option(names = "--precision", paramLabel = "fp32|bf16|fp16",
            description = "Number format of the matrix multiplications and attention; weights, optimizer and loss stay"
                    + " float32 (default: fp32). Whether bf16 is faster depends on the machine, not on its CPU flags:"
                    + " train measures a short matrix product and warns when it is slower than fp32. fp16 scales the"
                    + " loss dynamically.")
    String precision;

    @Option(names = "--attention", paramLabel = "fused|explicit",
            description = "fused: one scaled_dot_product_attention kernel (default); explicit: the written-out"
                    + " reference, float32 only.")
    String attention;

    /** Whether either option was given (a resumed run otherwise keeps its checkpoint's choice). */
    boolean given() {
        return precision != null || attention != null;
    }

    Compute compute() {
        Precision chosen = precision == null ? Precision.FP32 : Precision.parse(precision);
        return new Compute(chosen, fused());
    }

    private boolean fused() {
        if (attention == null) {
            return true;
        }
        return switch (attention.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "fused" -> true;
            case "explicit" -> false;
            default -> throw new UserError("unknown attention '" + attention + "': use fused or explicit");
        };
    }
}
