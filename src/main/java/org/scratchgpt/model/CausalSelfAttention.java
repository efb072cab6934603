package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * Multi-head causal self-attention, written out. Every position asks a question (query), offers a label (key)
 * and a message (value); it reads the messages of earlier positions, weighted by how well their keys answer its
 * query. "Causal": a position never sees later ones, so the model can be trained to predict each next token
 * from the ones before it. The C channels are split into nh heads of hs = C / nh channels, each attending on
 * its own.
 */
public final class CausalSelfAttention extends AbstractBlock {

    private final int heads;
    private final int headSize;
    private Block queryKeyValue;    // a Projection, C -> 3C, unless replaced (see replaceProjection)
    private Block outputProjection; // a Projection, C -> C, likewise
    private final Dropout attentionDropout;
    private final Dropout residualDropout;
    private final RotaryPositionalEncoding rotary; // null unless positional_encoding is rotary
    private final ConstantCache causalMask;
    private final Compute compute;
    private final double dropout;

    public CausalSelfAttention(GptConfig config) {
        this(config, Compute.REFERENCE);
    }

    public CausalSelfAttention(GptConfig config, Compute compute) {
        this(config, compute, causalMaskOf(config));
    }

    /** As above, reading {@code causalMask} (see {@link #causalMaskOf}), which a model's layers share. */
    CausalSelfAttention(GptConfig config, Compute compute, ConstantCache causalMask) {
        this.compute = compute;
        this.dropout = config.dropout();
        int width = config.embeddingWidth();
        this.heads = config.heads();
        this.headSize = config.headSize();
        // One fused projection makes q, k and v in a single matrix multiply (C -> 3C) instead of three, and stores
        // its weight the way GPT-2's checkpoints do (c_attn), so published weights load as they are.
        this.queryKeyValue = addChildBlock("queryKeyValue", Gpt2Init.projection(3L * width, config.bias(), compute));
        // Ends a residual branch, so it starts with GPT-2's smaller, depth-scaled weights.
        this.outputProjection = addChildBlock("outputProjection",
                Gpt2Init.residualProjection(width, config.bias(), config.layers(), compute));
        float rate = (float) config.dropout();
        this.attentionDropout = addChildBlock("attentionDropout", Dropout.builder().optRate(rate).build());
        this.residualDropout = addChildBlock("residualDropout", Dropout.builder().optRate(rate).build());
        this.rotary = config.positionalEncoding() == PositionalEncoding.ROTARY
                ? addChildBlock("rotary", new RotaryPositionalEncoding(config.contextLength(), headSize))
                : null;
        this.causalMask = causalMask;
    }

    /**
     * The (context_length, context_length) causal mask as a constant. It is the same in every layer, so a model
     * makes one and its layers share it, and generation with a {@link KvCache} slices it once per step for all.
     */
    static ConstantCache causalMaskOf(GptConfig config) {
        int contextLength = config.contextLength();
        return new ConstantCache(manager -> causalMask(manager, contextLength));
    }

    /**
     * Runs {@code replacement.apply(p)} from now on where this block ran its projection p called {@code name}
     * ("queryKeyValue" or "outputProjection"), to change a built model from outside (fine-tuning may add a small
     * trainable update to p). p stays a child, so its weights keep their names; the replacement, which may call p,
     * becomes a child called {@code childName}. Before the model is initialised: the replacement is initialised in
     * p's place.
     */
    public void replaceProjection(String name, String childName, UnaryOperator<Block> replacement) {
        switch (name) {
            case "queryKeyValue" -> queryKeyValue = addChildBlock(childName, replacement.apply(queryKeyValue));
            case "outputProjection" -> outputProjection = addChildBlock(childName, replacement.apply(outputProjection));
            default -> throw new IllegalArgumentException("attention has no projection " + name);
        }
    }

    /**
     * A (n, n) table added to the attention scores: 0 where position row may look at position column
     * (column <= row), minus infinity above the diagonal, which softmax turns into a weight of exactly 0.
     */
    private static NDArray causalMask(NDManager manager, int n) {
        float[] mask = new float[n * n];
        for (int row = 0; row < n; row++) {
            for (int column = row + 1; column < n; column++) {
                mask[row * n + column] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(n, n));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                // (B, T, C)
        NDList qkv = queriesKeysValues(store, x, 0, training);                // 3 x (B, nh, T, hs)
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        NDArray y;
        if (compute.fusedAttention()) {
            y = compute.fusedCausalAttention(q, k, v, dropout, training);     // (B, nh, T, hs), one kernel
        } else {
            long time = q.getShape().get(2);
            NDArray mask = causalMask.slice(store, q, new NDIndex(":{}, :{}", time, time)); // (T, T)
            y = attendExplicitly(q, k, v, mask, store, training);             // (B, nh, T, hs), written out
        }
        return new NDList(project(store, y, training));                       // (B, T, C)
    }

    /**
     * Attention for generation with a {@link KvCache}: x holds only the T new positions (B, T, C), which start at
     * position P = the cache's length. Their keys and values join the cached ones, and their queries attend to all
     * P + T: the past in full, the new block causally, as {@code mask} (T, P + T) says (rows P..P + T - 1 of the
     * causal mask, sliced once per step for all layers by {@link Gpt#forwardCached}). Inference only: no dropout.
     */
    NDArray forwardCached(ParameterStore store, NDArray x, KvCache.Layer cache, NDArray mask) {
        int start = cache.start();                                            // P
        NDList qkv = queriesKeysValues(store, x, start, false);               // 3 x (B, nh, T, hs)
        NDArray q = qkv.get(0);
        NDList kept = cache.append(qkv.get(1), qkv.get(2));                   // 2 x (B, nh, P + T, hs)
        NDArray k = kept.get(0);
        NDArray v = kept.get(1);
        NDArray y = compute.fusedAttention()
                ? compute.fusedMaskedAttention(q, k, v, mask)                 // (B, nh, T, hs), one kernel
                : attendExplicitly(q, k, v, mask, store, false);              // (B, nh, T, hs), written out
        // As project(), less the residual dropout, which passes its input through outside training.
        return Forward.through(outputProjection, mergeHeads(y), store, false); // (B, T, C)
    }

    /**
     * The queries, keys and values of x's positions, split into heads: (B, T, C) -> 3 x (B, nh, T, hs). With
     * rotary positions, q and k are turned by the angles of positions start..start + T - 1.
     */
    private NDList queriesKeysValues(ParameterStore store, NDArray x, int start, boolean training) {
        NDArray fused = Forward.through(queryKeyValue, x, store, training);   // (B, T, C) -> (B, T, 3C)
        NDList qkv = fused.split(3, 2);                                       // -> 3 x (B, T, C)
        NDArray q = splitHeads(qkv.get(0));                                   // (B, nh, T, hs)
        NDArray k = splitHeads(qkv.get(1));                                   // (B, nh, T, hs)
        NDArray v = splitHeads(qkv.get(2));                                   // (B, nh, T, hs)
        if (rotary != null) {
            NDList rotated = rotary.rotateFrom(store, q, k, start);
            q = rotated.get(0);                                               // (B, nh, T, hs)
            k = rotated.get(1);                                               // (B, nh, T, hs)
        }
        return new NDList(q, k, v);
    }

    /** The heads' outputs (B, nh, T, hs) side by side again and mixed: -> (B, T, C), with residual dropout. */
    private NDArray project(ParameterStore store, NDArray y, boolean training) {
        y = mergeHeads(y);                                                    // (B, T, C)
        y = Forward.through(outputProjection, y, store, training);            // (B, T, C) -> (B, T, C)
        return Forward.through(residualDropout, y, store, training);
    }

    /**
     * Attention step by step, the reference the fused kernel is tested against: scores, mask, softmax, weighted
     * sum. q (B, nh, Tq, hs), k and v (B, nh, Tk, hs), mask (Tq, Tk) -> (B, nh, Tq, hs). In training Tq = Tk = T;
     * with a KV cache the Tq new queries meet Tk = P + Tq keys.
     */
    private NDArray attendExplicitly(NDArray q, NDArray k, NDArray v, NDArray mask, ParameterStore store,
                                     boolean training) {
        NDArray weights = weightsOf(q, k, mask);                              // (B, nh, Tq, Tk)
        NDArray kept = Forward.through(attentionDropout, weights, store, training);
        NDArray y = kept.matMul(v);                                           // (B, nh, Tq, Tk) @ (B, nh, Tk, hs)
                                                                              // -> (B, nh, Tq, hs)
        if (kept != weights) {
            weights.close();
        }
        kept.close();
        return y;
    }

    /**
     * softmax(q k^T / sqrt(hs) + mask): how much each query reads from each key. q (B, nh, Tq, hs), k (B, nh, Tk, hs),
     * mask (Tq, Tk) -> (B, nh, Tq, Tk), every row summing to 1.
     */
    private NDArray weightsOf(NDArray q, NDArray k, NDArray mask) {
        // Dividing by sqrt(hs) keeps the scores' variance near 1, so softmax does not saturate as hs grows.
        // Scaling q before the product gives the same scores and touches a (Tq, hs) array, not a (Tq, Tk) one.
        NDArray products = Scalars.times(q, 1.0 / Math.sqrt(headSize))        // (B, nh, Tq, hs)
                .matMul(k.transpose(0, 1, 3, 2));                             // @ (B, nh, hs, Tk) -> (B, nh, Tq, Tk)
        NDArray scores = products.add(mask);                                  // future positions -> -inf
        NDArray weights = scores.softmax(-1);                                 // (B, nh, Tq, Tk), rows sum to 1
        // The (T, T) arrays are the largest of the model. DJL keeps every array until the step's manager closes;
        // closing these handles now frees them as soon as autograd does not need them (it keeps what it needs).
        products.close();
        scores.close();
        return weights;
    }

    /**
     * The attention weights this block gives x's positions, (B, T, C) -> (B, nh, T, T): row t of head h says how
     * much position t reads from each position; it sums to 1 and is 0 right of the diagonal. Always computed
     * written out, so that they can be looked at: the forward pass may run attention as one fused kernel, which
     * computes the same weights but never shows them. Inference: no dropout.
     */
    NDArray weights(ParameterStore store, NDArray x) {
        NDList qkv = queriesKeysValues(store, x, 0, false);                   // 3 x (B, nh, T, hs)
        NDArray q = qkv.get(0);
        long time = q.getShape().get(2);
        NDArray mask = causalMask.slice(store, q, new NDIndex(":{}, :{}", time, time)); // (T, T)
        return weightsOf(q, qkv.get(1), mask);                                // (B, nh, T, T)
    }

    /** (B, T, C) -> (B, T, nh, hs) -> (B, nh, T, hs): each head becomes a separate batch of sequences. */
    private NDArray splitHeads(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), heads, headSize).transpose(0, 2, 1, 3);
    }

    /** (B, nh, T, hs) -> (B, T, nh, hs) -> (B, T, C): the heads' outputs side by side again. */
    private NDArray mergeHeads(NDArray y) {
        Shape shape = y.getShape();
        return y.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(2), (long) heads * headSize);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];                                             // (B, T, C)
        Shape perHead = new Shape(x.get(0), heads, x.get(1), headSize);       // (B, nh, T, hs)
        Shape scores = new Shape(x.get(0), heads, x.get(1), x.get(1));        // (B, nh, T, T)
        queryKeyValue.initialize(manager, dataType, x);
        outputProjection.initialize(manager, dataType, x);
        attentionDropout.initialize(manager, dataType, scores);
        residualDropout.initialize(manager, dataType, x);
        if (rotary != null) {
            rotary.initialize(manager, dataType, perHead, perHead);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
