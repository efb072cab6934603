package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * The MLP in each transformer block: widen each token's vector to 4C, apply GELU, narrow back to C. Attention
 * moves information between positions; this is where each position then computes on what it gathered, and it
 * holds two thirds of a GPT's weights. Every position is treated independently and identically.
 */
public final class FeedForward extends AbstractBlock {

    private Block widen;   // a Projection, C -> 4C, unless replaced (see replaceProjection)
    private Block narrow;  // a Projection, 4C -> C, likewise
    private final Dropout dropout;
    private final GeluForm gelu;

    public FeedForward(GptConfig config) {
        this(config, Compute.REFERENCE);
    }

    public FeedForward(GptConfig config, Compute compute) {
        this.gelu = config.gelu();
        int width = config.embeddingWidth();
        this.widen = addChildBlock("widen", Gpt2Init.projection(4L * width, config.bias(), compute));
        // The second projection ends a residual branch, so it starts with GPT-2's smaller, depth-scaled weights.
        this.narrow = addChildBlock("narrow",
                Gpt2Init.residualProjection(width, config.bias(), config.layers(), compute));
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate((float) config.dropout()).build());
    }

    /**
     * Runs {@code replacement.apply(p)} from now on where this block ran its projection p called {@code name}
     * ("widen" or "narrow"); see {@link CausalSelfAttention#replaceProjection}.
     */
    public void replaceProjection(String name, String childName, UnaryOperator<Block> replacement) {
        switch (name) {
            case "widen" -> widen = addChildBlock(childName, replacement.apply(widen));
            case "narrow" -> narrow = addChildBlock(childName, replacement.apply(narrow));
            default -> throw new IllegalArgumentException("the MLP has no projection " + name);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                           // (B, T, C)
        NDArray hidden = Forward.through(widen, x, store, training);     // (B, T, C) -> (B, T, 4C)
        hidden = gelu.apply(hidden, training);                           // (B, T, 4C), exact or tanh (GPT-2)
        NDArray y = Forward.through(narrow, hidden, store, training);    // (B, T, 4C) -> (B, T, C)
        return new NDList(Forward.through(dropout, y, store, training)); // (B, T, C); identity unless training
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];                                        // (B, T, C)
        widen.initialize(manager, dataType, x);
        narrow.initialize(manager, dataType, widen.getOutputShapes(new Shape[] {x}));
        dropout.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
