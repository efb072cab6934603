package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * One layer of the GPT: attention (positions talk to each other), then the MLP (each position thinks on its
 * own). Each runs on a normalised copy of the stream and adds its result back ("pre-norm" residuals, as in
 * GPT-2): x + attn(ln1(x)), then x + mlp(ln2(x)). The untouched residual path lets gradients reach early layers.
 */
public final class TransformerBlock extends AbstractBlock {

    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm feedForwardNorm;
    private final FeedForward feedForward;

    public TransformerBlock(GptConfig config) {
        this(config, Compute.REFERENCE);
    }

    public TransformerBlock(GptConfig config, Compute compute) {
        this(config, compute, CausalSelfAttention.causalMaskOf(config));
    }

    /** As above, its attention reading {@code causalMask}, which a model's layers share. */
    TransformerBlock(GptConfig config, Compute compute, ConstantCache causalMask) {
        this.attentionNorm = addChildBlock("attentionNorm", LayerNorm.of(config));
        this.attention = addChildBlock("attention", new CausalSelfAttention(config, compute, causalMask));
        this.feedForwardNorm = addChildBlock("feedForwardNorm", LayerNorm.of(config));
        this.feedForward = addChildBlock("feedForward", new FeedForward(config, compute));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                       // (B, T, C)
        return new NDList(residuals(store, x, training,
                normed -> Forward.through(attention, normed, store, training)));     // (B, T, C)
    }

    /**
     * The layer for the T new positions of generation with a {@link KvCache}: (B, T, C) -> (B, T, C); {@code mask}
     * (T, P + T) is the causal mask's rows for them.
     */
    NDArray forwardCached(ParameterStore store, NDArray x, KvCache.Layer cache, NDArray mask) {
        return residuals(store, x, false, normed -> attention.forwardCached(store, normed, cache, mask));
    }

    /** The attention weights (B, nh, T, T) this layer gives its input x (B, T, C); see {@link CausalSelfAttention#weights}. */
    NDArray attentionWeights(ParameterStore store, NDArray x) {
        return attention.weights(store, Forward.through(attentionNorm, x, store, false));
    }

    /** x + attend(ln1(x)), then x + mlp(ln2(x)); {@code attend} is attention with or without a cache. */
    private NDArray residuals(ParameterStore store, NDArray x, boolean training, UnaryOperator<NDArray> attend) {
        NDArray normed = Forward.through(attentionNorm, x, store, training);         // (B, T, C)
        x = x.add(attend.apply(normed));                                             // (B, T, C)
        normed = Forward.through(feedForwardNorm, x, store, training);               // (B, T, C)
        return x.add(Forward.through(feedForward, normed, store, training));         // (B, T, C)
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes[0]);                     // all see (B, T, C)
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
