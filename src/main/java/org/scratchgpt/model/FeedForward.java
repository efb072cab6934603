package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The MLP in each transformer block: widen each token's vector to 4C, apply GELU, narrow back to C. Attention
 * moves information between positions; this is where each position then computes on what it gathered, and it
 * holds two thirds of a GPT's weights. Every position is treated independently and identically.
 */
public final class FeedForward extends AbstractBlock {

    private final Linear widen;
    private final Linear narrow;
    private final LoraAdapter widenLora;   // null unless LoRA adapts the MLP
    private final LoraAdapter narrowLora;  // null unless LoRA adapts the MLP
    private final Dropout dropout;
    private final Compute compute;
    private final GeluForm gelu;

    public FeedForward(GptConfig config) {
        this(config, Compute.REFERENCE);
    }

    public FeedForward(GptConfig config, Compute compute) {
        this(config, compute, null);
    }

    /** With LoRA adapters beside both Linears when {@code lora} targets mlp; null for none. */
    public FeedForward(GptConfig config, Compute compute, LoraSettings lora) {
        this.compute = compute;
        this.gelu = config.gelu();
        int width = config.embeddingWidth();
        this.widen = addChildBlock("widen", Gpt2Init.linear(4L * width, config.bias()));
        // The second Linear ends a residual branch, so it starts with GPT-2's smaller, depth-scaled weights.
        this.narrow = addChildBlock("narrow", Gpt2Init.residualProjection(width, config.bias(), config.layers()));
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate((float) config.dropout()).build());
        // Added last, beside the Linears: the base model's parameters keep their names, so its weights copy over.
        boolean adapted = LoraAdapter.wanted(lora, LoraTarget.MLP);
        this.widenLora = adapted ? addChildBlock("widenLora",
                LoraAdapter.beside(widen, LoraTarget.MLP, 4L * width, lora, compute)) : null;
        this.narrowLora = adapted ? addChildBlock("narrowLora",
                LoraAdapter.beside(narrow, LoraTarget.MLP, width, lora, compute)) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                           // (B, T, C)
        NDArray hidden = compute.linear(widen, x, store, training);      // (B, T, C) -> (B, T, 4C)
        hidden = LoraAdapter.added(widenLora, hidden, x, store, training); // + LoRA's update, (B, T, 4C)
        hidden = gelu.apply(hidden, training);                           // (B, T, 4C), exact or tanh (GPT-2)
        NDArray y = compute.linear(narrow, hidden, store, training);     // (B, T, 4C) -> (B, T, C)
        y = LoraAdapter.added(narrowLora, y, hidden, store, training);   // + LoRA's update, (B, T, C)
        return new NDList(Forward.through(dropout, y, store, training)); // (B, T, C); identity unless training
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];                                        // (B, T, C)
        widen.initialize(manager, dataType, x);
        narrow.initialize(manager, dataType, widen.getOutputShapes(new Shape[] {x}));
        dropout.initialize(manager, dataType, x);
        if (widenLora != null) {
            widenLora.initialize(manager, dataType, x);                  // reads (B, T, C)
            narrowLora.initialize(manager, dataType, widen.getOutputShapes(new Shape[] {x})); // reads (B, T, 4C)
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
