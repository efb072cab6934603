package org.scratchgpt.chat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.training.Checkpoint;

/**
 * Loads a checkpoint into a GPT whose vocabulary is larger than the checkpoint's, as adding the chat's special
 * tokens makes it when the checkpoint has no spare rows. The token embedding (V, C) and an untied output head
 * (V, C) get new rows at the end; every other weight, and every existing row, is the checkpoint's, unchanged.
 *
 * <p>A new row starts as the mean of the existing rows. Why not random like a fresh model: the trained rows have
 * drifted far from N(0, 0.02), and a row unlike all of them would give the new token's logit an arbitrary size.
 * The mean keeps its embedding inside the distribution the layers have learned to read, and its logit h·mean(E)
 * is the mean of the other tokens' logits, so the new tokens start neither likely nor impossible (the choice of
 * HuggingFace's {@code resize_token_embeddings}, after Hewitt's "Initializing new word embeddings").
 */
public final class VocabularyGrowth {
    private VocabularyGrowth() {}

    /**
     * Initialises {@code target} (whose block is a GPT of {@code checkpointConfig} with a larger vocab_size) for
     * inputs of {@code inputShape} and gives it the weights of the checkpoint in {@code dir}, new rows as the mean.
     */
    public static void loadGrown(Model target, Path dir, GptConfig checkpointConfig, Shape inputShape) throws IOException {
        target.getBlock().initialize(target.getNDManager(), DataType.FLOAT32, inputShape);
        try (Model source = Model.newInstance("checkpoint", target.getNDManager().getDevice())) {
            source.setBlock(new Gpt(checkpointConfig));
            Checkpoint.loadInto(source, dir, inputShape);
            copyGrowing(source.getBlock(), target.getBlock());
        }
    }

    /** Every parameter of {@code from} into the same-named one of {@code to}; a taller one gets mean rows added. */
    static void copyGrowing(Block from, Block to) {
        var targets = to.getParameters();
        for (Pair<String, Parameter> p : from.getParameters()) {
            NDArray source = p.getValue().getArray();                            // (V, C) or any shape
            NDArray target = targets.get(p.getKey()).getArray();                 // (V', C), V' >= V, or the same shape
            long rows = source.getShape().get(0);
            if (target.getShape().equals(source.getShape())) {
                target.set(new NDIndex(":"), source);
            } else {
                target.set(new NDIndex("0:" + rows), source);                    // the existing rows, unchanged
                NDArray mean = source.mean(new int[] {0}, true);                 // (1, C)
                long added = target.getShape().get(0) - rows;
                target.set(new NDIndex(rows + ":"), mean.broadcast(new Shape(added, source.getShape().get(1)))); // (V'-V, C)
            }
        }
    }
}
