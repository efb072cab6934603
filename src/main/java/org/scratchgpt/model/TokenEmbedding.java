package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Turns token ids into vectors: row i of a learned (V, C) matrix is the vector of token i. Looking a row up is
 * the same as multiplying a one-hot vector by the matrix, only cheaper. The same matrix can serve as the output
 * head (see {@link OutputHead}).
 */
public final class TokenEmbedding extends AbstractBlock {

    private final Parameter weight;
    private final int width;

    public TokenEmbedding(int vocabSize, int width) {
        this.width = width;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabSize, width)).optInitializer(Gpt2Init.normal()).build());
    }

    /** The (V, C) matrix, for an output head that shares it. */
    Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();                           // (B, T) integers
        NDArray table = store.getValue(weight, ids.getDevice(), training); // (V, C)
        return Embedding.embedding(ids, table, SparseFormat.DENSE);        // (B, T) -> (B, T, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(width)};
    }
}
