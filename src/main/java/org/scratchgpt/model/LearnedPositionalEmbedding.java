package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * GPT-2's positions: a learned (context_length, C) table whose row t is added to the embedding of the token at
 * position t. The model learns what each position means; it cannot look further than the table is long.
 */
public final class LearnedPositionalEmbedding extends AbstractBlock implements AddedPositions {

    private final Parameter weight;

    public LearnedPositionalEmbedding(int contextLength, int width) {
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(contextLength, width)).optInitializer(Gpt2Init.normal()).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(addFrom(store, inputs.singletonOrThrow(), 0, training));
    }

    @Override
    public NDArray addFrom(ParameterStore store, NDArray x, long start, boolean training) {
        long time = x.getShape().get(1);                                 // x: (B, T, C)
        NDArray table = store.getValue(weight, x.getDevice(), training);    // (context_length, C)
        // Slice onto x's manager: a slice taken on the table's own, long-lived manager would pile up.
        NDArray positions = table.get(x.getManager(), new NDIndex("{}:{}", start, start + time)); // (T, C)
        return x.add(positions);                                         // (B, T, C) + (T, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
