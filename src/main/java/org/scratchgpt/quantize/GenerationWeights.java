package org.scratchgpt.quantize;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.scratchgpt.model.CausalSelfAttention;
import org.scratchgpt.model.FeedForward;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.LayerNorm;
import org.scratchgpt.model.OutputHead;
import org.scratchgpt.model.Precision;
import org.scratchgpt.model.Projection;

/**
 * Converts a loaded GPT's weights once for generation: every projection (attention's queryKeyValue and
 * outputProjection, the MLP's widen and narrow) and the output head is replaced by a {@link HalfProjection} or an
 * {@link Int8Projection} made from its float32 weights. These are nearly all the bytes a step reads; the rest (layer
 * norms, and the one row of each embedding table a token looks up) stays float32. A tied head's matrix is also the
 * token embedding: the head gets a converted copy, the embedding keeps the float32 matrix, read one row per token.
 *
 * <p>The float32 weights stay in the model (as the replaced projections, children still), so its parameters and
 * their names are unchanged, but no step reads them any more. The converted model is for inference only.
 */
public final class GenerationWeights {
    private GenerationWeights() {}

    /** Converts {@code gpt} (loaded, plain: no LoRA adapters) to {@code format}; float32 leaves it as it is. */
    public static void convert(Gpt gpt, WeightFormat format) {
        if (format == WeightFormat.FLOAT32) {
            return;
        }
        Precision precision = gpt.compute().precision();
        for (Block block : blocksIn(gpt)) {
            if (block instanceof CausalSelfAttention attention) {
                attention.replaceProjection("queryKeyValue", "queryKeyValueConverted", converter(format, precision));
                attention.replaceProjection("outputProjection", "outputProjectionConverted",
                        converter(format, precision));
            } else if (block instanceof FeedForward mlp) {
                mlp.replaceProjection("widen", "widenConverted", converter(format, precision));
                mlp.replaceProjection("narrow", "narrowConverted", converter(format, precision));
            }
        }
        // The logits feed a softmax over the whole vocabulary: the head returns them as float32.
        gpt.replaceProjection("head", "headConverted", projection -> converted(projection, format, precision, true));
    }

    /** Replaces a projection by its converted copy; its result stays in the model's precision. */
    private static UnaryOperator<Block> converter(WeightFormat format, Precision precision) {
        return projection -> converted(projection, format, precision, false);
    }

    private static Block converted(Block projection, WeightFormat format, Precision precision, boolean toFloat32) {
        NDArray weight = matrixOf(projection).getArray();                    // (out, in)
        Parameter bias = projection instanceof Projection ? projection.getParameters().get("bias") : null;
        NDArray biasArray = bias == null ? null : bias.getArray();           // (out)
        return format == WeightFormat.INT8 ? new Int8Projection(weight, biasArray, precision, toFloat32)
                : new HalfProjection(weight, biasArray, precision, toFloat32);
    }

    /** The (out, in) matrix of a plain projection or of the output head; anything else is refused. */
    private static Parameter matrixOf(Block projection) {
        if (projection instanceof OutputHead head) {
            return head.weight();
        }
        if (projection instanceof Projection) {
            return projection.getParameters().get("weight");
        }
        throw new IllegalArgumentException("only a plain GPT's projections are converted, not a "
                + projection.getClass().getSimpleName() + " (merge LoRA adapters into the weights first)");
    }

    /**
     * The bytes of weights one generation step reads in {@code gpt} as it is now, converted or not: each converted
     * projection's own count ({@link ConvertedProjection#bytesRead}: its matrix in its format, int8's scales, its
     * bias), or, unconverted, every projection's and the head's matrix and bias in float32; plus the layer norms
     * (float32). The embedding tables are left out: a step reads one row of each. {@code gpt} must be initialised
     * (its projections learn their input width then).
     */
    public static long bytesPerToken(Gpt gpt) {
        List<Block> blocks = blocksIn(gpt);
        // Conversion replaces every projection; the float32 ones stay as children, but no step reads them then.
        boolean converted = blocks.stream().anyMatch(ConvertedProjection.class::isInstance);
        long bytes = 0;
        for (Block block : blocks) {
            if (block instanceof ConvertedProjection projection) {
                bytes += projection.bytesRead();
            } else if (!converted && (block instanceof Projection || block instanceof OutputHead)) {
                long bias = block instanceof Projection && block.getParameters().contains("bias")
                        ? matrixOf(block).getShape().get(0) : 0;
                bytes += 4 * (matrixOf(block).getShape().size() + bias);
            } else if (block instanceof LayerNorm norm) {
                bytes += 4 * numbersIn(norm.getParameters());
            }
        }
        return bytes;
    }

    private static long numbersIn(ParameterList parameters) {
        return parameters.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /** {@code block} and every block inside it, depth first. */
    private static List<Block> blocksIn(Block block) {
        List<Block> found = new ArrayList<>(List.of(block));
        for (Block child : block.getChildren().values()) {
            found.addAll(blocksIn(child));
        }
        return found;
    }
}
