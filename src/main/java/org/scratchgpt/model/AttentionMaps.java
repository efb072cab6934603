package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.scratchgpt.UserError;

/**
 * What every head of every layer looked at when the model read one text, copied into plain Java arrays so that
 * it can be drawn, saved or compared without an engine: {@code weights[layer][head][query][key]} is how much the
 * token at position query read from the token at position key. Each row sums to 1 and is 0 right of the diagonal
 * (a token never sees later ones).
 *
 * @param tokens one label per position, e.g. the tokens' text
 * @param weights (n_layer, n_head, T, T)
 */
public record AttentionMaps(List<String> tokens, float[][][][] weights) {

    public AttentionMaps {
        tokens = List.copyOf(tokens);
        for (float[][][] layer : weights) {
            for (float[][] head : layer) {
                if (head.length != tokens.size()) {
                    throw new IllegalArgumentException(head.length + " rows of weights for " + tokens.size() + " tokens");
                }
            }
        }
    }

    /**
     * Runs {@code gpt} on the token ids and keeps its attention weights. The arrays live on a sub-manager of
     * {@code manager} that is closed before returning, so nothing stays behind (this is called during training).
     *
     * @param ids the text's token ids, at most context_length of them
     * @param tokens a label for each id, e.g. its text
     */
    public static AttentionMaps measure(Gpt gpt, NDManager manager, int[] ids, List<String> tokens) {
        requireFits("the text", ids.length, gpt.config().contextLength());
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray batch = scope.create(ids, new Shape(1, ids.length));                 // (1, T)
            List<NDArray> perLayer = gpt.attentionWeights(store, batch);               // n_layer x (1, nh, T, T)
            float[][][][] weights = new float[perLayer.size()][][][];
            for (int layer = 0; layer < weights.length; layer++) {
                weights[layer] = heads(perLayer.get(layer), ids.length);
            }
            return new AttentionMaps(tokens, weights);
        }
    }

    /** Fails unless a text of {@code tokens} tokens, {@code what} in the message, fits in the model's context. */
    public static void requireFits(String what, int tokens, int contextLength) {
        if (tokens == 0) {
            throw new UserError(what + " is empty: give the text whose attention to draw, e.g. \"ROMEO:\"");
        }
        if (tokens > contextLength) {
            throw new UserError(what + " is " + tokens + " tokens long, more than the model's context_length "
                    + contextLength + ": give a shorter text, of at most " + contextLength + " tokens");
        }
    }

    /** (1, nh, T, T), in any precision, as [head][query][key] floats. */
    private static float[][][] heads(NDArray weights, int time) {
        float[] flat = weights.toType(DataType.FLOAT32, false).toFloatArray();
        int heads = Math.toIntExact(weights.getShape().get(1));
        float[][][] result = new float[heads][time][time];
        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < time; q++) {
                System.arraycopy(flat, (h * time + q) * time, result[h][q], 0, time);
            }
        }
        return result;
    }

    public int layers() {
        return weights.length;
    }

    public int heads() {
        return weights.length == 0 ? 0 : weights[0].length;
    }

    /** The (T, T) weights of one head: [query][key]. */
    public float[][] head(int layer, int head) {
        return weights[layer][head];
    }
}
