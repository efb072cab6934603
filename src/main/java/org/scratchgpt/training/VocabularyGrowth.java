package org.scratchgpt.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;

/**
 * Loads a checkpoint for a tokenizer that gained tokens (the chat's special tokens): the ids {@code known} to
 * {@code total - 1} are new. When the checkpoint's vocab_size has no spare rows for them, the GPT it is loaded
 * into has a larger vocab_size, and the token embedding (V, C) and an untied output head (V, C) get rows added at
 * the end; every other weight, and every row of an existing token, is the checkpoint's, unchanged.
 *
 * <p>The new tokens' rows (added, or spare rows that training only ever pushed down) are drawn like the existing
 * tokens' rows: each number from a normal distribution with the mean and the standard deviation of its column over
 * the existing rows. Why not N(0, 0.02) like a fresh model: trained rows have drifted far from it, and a row unlike
 * all of them gives the new token an arbitrary logit; drawn like them, a new token's embedding lies inside the
 * distribution the layers have learned to read, and its logit is an ordinary one, neither likely nor impossible
 * (the idea of HuggingFace's mean resizing, after Hewitt's "Initializing new word embeddings"). Why not the mean
 * itself: the four chat markers would start identical, and the model would first have to learn to tell
 * {@code <|user|>} from {@code <|end|>}; measured on the demonstration of {@code InstructionTuningDemoTest}, mean
 * rows reached 30% after 300 steps where drawn rows reach the 90% it asserts.
 */
public final class VocabularyGrowth {
    /** The parameters with a row per token, by the names DJL gives them in a {@link Gpt} (after the child number). */
    private static final Set<String> TOKEN_ROWS = Set.of("tokenEmbedding_weight", "head_weight");

    private VocabularyGrowth() {}

    /** The config a model needs for {@code tokens} tokens: the checkpoint's, grown when it has too few rows. */
    public static GptConfig configFor(GptConfig checkpointConfig, int tokens) {
        return tokens <= checkpointConfig.vocabSize() ? checkpointConfig
                : checkpointConfig.withOverrides(java.util.Map.of("vocab_size", Integer.toString(tokens)));
    }

    /**
     * Initialises {@code target}, whose block is a GPT of {@link #configFor}, for inputs of {@code inputShape}, and
     * gives it the weights of the checkpoint in {@code dir} (a GPT of {@code checkpointConfig}), the rows of the new
     * tokens {@code known..total-1} drawn like the rows {@code 0..known-1} ({@link #drawnLike}).
     */
    public static void loadWithNewTokens(Model target, Path dir, GptConfig checkpointConfig, int known, int total,
            Shape inputShape) throws IOException {
        Checkpoint.copyWeightsInto(target, dir, checkpointConfig, inputShape);
        for (Pair<String, Parameter> p : target.getBlock().getParameters()) {
            // DJL numbers the children in its keys, "01tokenEmbedding_weight"; a tied head owns no parameter.
            if (TOKEN_ROWS.contains(p.getKey().replaceFirst("^\\d+", ""))) {
                NDArray rows = p.getValue().getArray();                             // (V, C)
                rows.set(new NDIndex(known + ":" + total), drawnLike(rows.get(new NDIndex("0:" + known)), total - known));
            }
        }
    }

    /** {@code count} rows (count, C), each number drawn from N(mean, std) of its column of {@code existing} (n, C). */
    static NDArray drawnLike(NDArray existing, int count) {
        NDArray mean = existing.mean(new int[] {0}, true);                               // (1, C)
        NDArray std = existing.sub(mean).square().mean(new int[] {0}, true).sqrt();      // (1, C)
        Shape shape = new Shape(count, existing.getShape().get(1));
        return existing.getManager().randomNormal(shape).mul(std).add(mean);             // (count, C)
    }
}
