package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.scratchgpt.UserError;

/**
 * The whole GPT: token ids in, one score per vocabulary token out, at every position. Ids become vectors
 * (plus positions), pass through n_layer transformer blocks, are normalised once more, and the output head
 * scores every token as the next one: logits (B, T, V). Position t's logits depend only on tokens 0..t.
 * Input: token ids (B, T), integers below vocab_size, T at most context_length.
 */
public final class Gpt extends AbstractBlock {

    private final GptConfig config;
    private final Compute compute;
    private final TokenEmbedding tokenEmbedding;
    private final AddedPositions addedPositions; // null for rotary, which acts inside attention instead
    private final Dropout embeddingDropout;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private Block head; // the OutputHead, unless replaced (see replaceProjection)
    private final ConstantCache causalMask; // the (context, context) mask every layer's attention reads

    /** The reference model: float32, attention written out. */
    public Gpt(GptConfig config) {
        this(config, Compute.REFERENCE);
    }

    /** The model computing as {@code compute} says; the weights are the same whatever it says. */
    public Gpt(GptConfig config, Compute compute) {
        this.config = config.validate();
        this.compute = compute;
        this.causalMask = CausalSelfAttention.causalMaskOf(config);
        int width = config.embeddingWidth();
        this.tokenEmbedding = addChildBlock("tokenEmbedding", new TokenEmbedding(config.vocabSize(), width));
        this.addedPositions = switch (config.positionalEncoding()) {
            case LEARNED -> addChildBlock("positions", new LearnedPositionalEmbedding(config.contextLength(), width));
            case SINUSOIDAL -> addChildBlock("positions", new SinusoidalPositionalEncoding(config.contextLength(), width));
            case ROTARY -> null;
        };
        this.embeddingDropout = addChildBlock("embeddingDropout",
                Dropout.builder().optRate((float) config.dropout()).build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new TransformerBlock(config, compute, causalMask)));
        }
        this.finalNorm = addChildBlock("finalNorm", LayerNorm.of(config));
        this.head = addChildBlock("head", config.tiedEmbeddings()
                ? OutputHead.tiedTo(tokenEmbedding, config.vocabSize(), compute)
                : OutputHead.untied(config.vocabSize(), width, compute));
    }

    /**
     * Runs {@code replacement.apply(p)} from now on where the model ran its projection p called {@code name} (only
     * "head", the output head); see {@link CausalSelfAttention#replaceProjection}. A tied head's matrix is also the
     * token embedding, which a replacement of the head leaves as it is.
     */
    public void replaceProjection(String name, String childName, UnaryOperator<Block> replacement) {
        if (!name.equals("head")) {
            throw new IllegalArgumentException("the GPT has no projection " + name + " of its own");
        }
        head = addChildBlock(childName, replacement.apply(head));
    }

    public GptConfig config() {
        return config;
    }

    public Compute compute() {
        return compute;
    }

    /**
     * How many numbers the model learns; a tied matrix counts once. Known once the model is initialised,
     * because DJL's Linear layers learn their input width from the first input shape.
     */
    public long parameterCount() {
        long count = 0;
        for (Parameter parameter : getParameters().values()) {
            if (parameter.getShape() == null) {
                throw new IllegalStateException("parameter " + parameter.getName()
                        + " has no shape yet: initialize the model before counting its parameters");
            }
            count += parameter.getShape().size();
        }
        return count;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = throughLayers(store, inputs.singletonOrThrow(), training); // (B, T) -> (B, T, C)
        return new NDList(logits(store, x, training));                        // (B, T, C) -> (B, T, V)
    }

    /** Stages 1 and 2: token ids (B, T) embedded and through every transformer block, (B, T, C). */
    private NDArray throughLayers(ParameterStore store, NDArray ids, boolean training) {
        NDArray x = embed(store, ids, training);                              // (B, T) -> (B, T, C)
        for (int i = 0; i < layers.size(); i++) {
            x = layer(i, store, x, training);                                 // (B, T, C)
        }
        return x;
    }

    // The three stages of the forward pass, public so that a training step can run them one at a time
    // (activation checkpointing recomputes each transformer block on its own during the backward pass).

    /** Stage 1: token ids (B, T) become the residual stream (B, T, C): token vectors plus positions, dropout. */
    public NDArray embed(ParameterStore store, NDArray ids, boolean training) {
        checkIds(ids.getShape(), 0);
        return embedFrom(store, ids, 0, training);
    }

    /** Whether stage 1 has weights to train: not when they are frozen (a fine-tuning may train added ones only). */
    public boolean embeddingsLearn() {
        List<Block> embeddings = addedPositions == null
                ? List.of(tokenEmbedding) : List.of(tokenEmbedding, addedPositions);
        return embeddings.stream().anyMatch(block -> block.getParameters().values().stream()
                .anyMatch(Parameter::requiresGradient));
    }

    /** Stage 1 for tokens at positions start..start + T - 1: (B, T) -> (B, T, C). */
    private NDArray embedFrom(ParameterStore store, NDArray ids, long start, boolean training) {
        NDArray x = Forward.through(tokenEmbedding, ids, store, training);   // (B, T) -> (B, T, C)
        if (addedPositions != null) {
            x = addedPositions.addFrom(store, x, start, training);           // (B, T, C) + (T, C)
        }
        // Outside training dropout passes x through: not calling it saves a native call per step of generation.
        return training ? Forward.through(embeddingDropout, x, store, true) : x; // (B, T, C)
    }

    /**
     * Inference for the next token: the logits (B, V) of the position after the last of token ids (B, T), as the
     * last row of {@link #forward}'s (B, T, V). Only that row goes through the final norm and the head, as in
     * nanoGPT's forward without targets: the head is the model's largest product, (T, C) x (C, V), and generation
     * reads one row of it.
     */
    public NDArray nextTokenLogits(ParameterStore store, NDArray ids) {
        return lastLogits(store, throughLayers(store, ids, false));         // (B, T) -> (B, T, C) -> (B, V)
    }

    /**
     * Inference with a {@link KvCache}: for T new tokens (B, T) that follow the cache's P positions, the logits (B, V)
     * of the token after them, as {@link #nextTokenLogits} would give them for all P + T tokens at once. The new
     * tokens get positions P..P + T - 1; every layer adds their keys and values to the cache. P + T may not exceed
     * context_length: what to do when the window is full is the caller's choice (a learned position table has no
     * row beyond it).
     */
    public NDArray forwardCached(ParameterStore store, NDArray ids, KvCache cache) {
        int start = cache.length();
        checkIds(ids.getShape(), start);
        NDArray x = embedFrom(store, ids, start, false);                     // (B, T, C)
        long end = start + ids.getShape().get(1);                            // P + T
        // Rows P..P+T-1 of the causal mask: query P + i sees keys 0..P + i. The same in every layer: sliced once.
        NDArray mask = causalMask.slice(store, x, new NDIndex("{}:{}, :{}", start, end, end)); // (T, P + T)
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forwardCached(store, x, cache.layer(i), mask); // (B, T, C)
        }
        cache.advance(Math.toIntExact(ids.getShape().get(1)));               // P -> P + T
        return lastLogits(store, x);                                         // (B, V)
    }

    /** Stage 3 for the last position only: (B, T, C) -> (B, C) -> (B, V). */
    private NDArray lastLogits(ParameterStore store, NDArray x) {
        return logits(store, x.get(LAST_POSITION), false);                   // (B, C) -> (B, V)
    }

    private static final NDIndex LAST_POSITION = new NDIndex(":, -1, :");

    /**
     * Every layer's attention weights for token ids (B, T): n_layer arrays (B, nh, T, T), where entry (b, h, t, s)
     * is how much position t reads from position s in head h; each row sums to 1 and is 0 for s > t. Inference (no
     * dropout); the weights are written out even when the model computes attention fused. For pictures: see
     * {@link AttentionMaps#measure}.
     */
    public List<NDArray> attentionWeights(ParameterStore store, NDArray ids) {
        NDArray x = embed(store, ids, false);                                // (B, T, C)
        List<NDArray> weights = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            weights.add(layers.get(i).attentionWeights(store, x));           // (B, nh, T, T)
            x = layer(i, store, x, false);                                   // the next layer's input
        }
        return weights;
    }

    /** Stage 2, once per layer: transformer block {@code index} (0 to n_layer - 1), (B, T, C) -> (B, T, C). */
    public NDArray layer(int index, ParameterStore store, NDArray x, boolean training) {
        return Forward.through(layers.get(index), x, store, training);      // (B, T, C)
    }

    /** Stage 3: the stream (B, T, C) is normalised once more and scored against the vocabulary: (B, T, V). */
    public NDArray logits(ParameterStore store, NDArray x, boolean training) {
        x = Forward.through(finalNorm, x, store, training);                  // (B, T, C)
        return Forward.through(head, x, store, training);                    // (B, T, C) -> (B, T, V)
    }

    private void checkIds(Shape ids, int cached) {
        if (ids.dimension() != 2) {
            throw new UserError("the model takes token ids shaped (batch, time), got shape " + ids
                    + ": add a batch axis of 1 for a single sequence");
        }
        if (cached == 0 && ids.get(1) > config.contextLength()) {
            throw new UserError("a sequence of " + ids.get(1) + " tokens is longer than context_length "
                    + config.contextLength() + ": keep only the last " + config.contextLength() + " tokens");
        }
        if (cached + ids.get(1) > config.contextLength()) {
            throw new IllegalStateException(ids.get(1) + " new tokens after " + cached + " cached ones exceed"
                    + " context_length " + config.contextLength() + ": clear the cache and prefill a shorter window");
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];                                          // (B, T)
        Shape x = ids.add(config.embeddingWidth());                          // (B, T, C)
        tokenEmbedding.initialize(manager, dataType, ids);
        for (var child : getChildren().values()) {
            if (child != tokenEmbedding) {
                child.initialize(manager, dataType, x);                      // everything after sees (B, T, C)
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.vocabSize())};        // (B, T) -> (B, T, V)
    }
}
