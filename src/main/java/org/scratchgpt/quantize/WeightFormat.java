package org.scratchgpt.quantize;

import org.scratchgpt.UserError;
import org.scratchgpt.model.Precision;

/**
 * How a generating model keeps its projections' weights, and so how many bytes a step reads per weight: float32
 * (4, the model as trained), the 16-bit format of the model's precision (2, {@link HalfProjection}) or int8 with a
 * bfloat16 scale per row (1, {@link Int8Projection}); each converted projection counts its own bytes
 * ({@link GenerationWeights#bytesPerToken}).
 */
public enum WeightFormat {
    FLOAT32,
    SIXTEEN_BIT,
    INT8;

    /**
     * The format generation uses: int8 if {@code quantize} says "int8", else the precision's own (a 16-bit precision
     * converts the weights once, float32 keeps them). {@code quantize} null means none was asked for.
     */
    public static WeightFormat forGeneration(Precision precision, String quantize) {
        if (quantize != null) {
            if (!quantize.trim().equalsIgnoreCase("int8")) {
                throw new UserError("unknown --quantize '" + quantize + "': use int8 (weight-only, one scale per"
                        + " output row), or leave --quantize out to keep the weights in --precision's format");
            }
            return INT8;
        }
        return precision.isReduced() ? SIXTEEN_BIT : FLOAT32;
    }

    /** How it is called in a table: fp32, bf16, fp16 or int8. */
    public String label(Precision precision) {
        return switch (this) {
            case FLOAT32 -> "fp32";
            case SIXTEEN_BIT -> precision.cliName();
            case INT8 -> "int8";
        };
    }
}
