package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Turns each position's final vector into one score (logit) per token of the vocabulary, by a dot product with
 * every row of a (V, C) matrix. GPT-2 ties this matrix to the token embedding: a token's input vector is also
 * the direction that predicts it. Tied, the head borrows the embedding's parameter and owns none, so the
 * matrix is stored, counted and trained once; its gradient is the sum of both uses.
 */
public final class OutputHead extends AbstractBlock {

    private final Parameter weight;
    private final int vocabSize;
    private final Compute compute;

    private OutputHead(Parameter weight, int vocabSize, boolean ownsWeight, Compute compute) {
        this.compute = compute;
        this.weight = ownsWeight ? addParameter(weight) : weight;
        this.vocabSize = vocabSize;
    }

    /** A head that reuses {@code embedding}'s matrix. */
    public static OutputHead tiedTo(TokenEmbedding embedding, int vocabSize, Compute compute) {
        return new OutputHead(embedding.weight(), vocabSize, false, compute);
    }

    /** A head with its own (V, C) matrix, N(0, 0.02) like every GPT-2 weight. */
    public static OutputHead untied(int vocabSize, int width, Compute compute) {
        Parameter weight = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabSize, width)).optInitializer(Gpt2Init.normal()).build();
        return new OutputHead(weight, vocabSize, true, compute);
    }

    /** The (V, C) matrix, its own or the embedding's. */
    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                           // (B, T, C)
        NDArray matrix = store.getValue(weight, x.getDevice(), training); // (V, C)
        return new NDList(compute.linear(x, matrix, training));          // (B, T, C) @ (C, V) -> (B, T, V)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x.slice(0, x.dimension() - 1).add(vocabSize)};
    }
}
