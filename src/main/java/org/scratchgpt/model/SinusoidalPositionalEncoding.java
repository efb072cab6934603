package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The original Transformer's positions: a fixed table added to the token embeddings, where channel pair
 * (2i, 2i+1) of position t holds sin and cos of t / 10000^(2i/C). Each pair turns at its own speed, from once
 * per 2 pi tokens down to once per 10000 * 2 pi, so every position gets a distinct pattern and there is
 * nothing to train.
 */
public final class SinusoidalPositionalEncoding extends AbstractBlock implements AddedPositions {

    private final ConstantCache table;

    public SinusoidalPositionalEncoding(int contextLength, int width) {
        this.table = new ConstantCache(manager -> table(manager, contextLength, width));
    }

    /** Entry (t, j) of the table: sin for even j, cos for odd j, of t / 10000^(2i/C) with i = j / 2. */
    static double value(int position, int channel, int width) {
        double angle = position / Math.pow(10000, 2.0 * (channel / 2) / width);
        return channel % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
    }

    private static NDArray table(NDManager manager, int contextLength, int width) {
        return manager.create(tableValues(contextLength, width), new Shape(contextLength, width)); // (context_length, C)
    }

    /** The whole (context_length, C) table, row by row; an exported model carries the same numbers. */
    public static float[] tableValues(int contextLength, int width) {
        float[] values = new float[contextLength * width];
        for (int t = 0; t < contextLength; t++) {
            for (int j = 0; j < width; j++) {
                values[t * width + j] = (float) value(t, j, width);
            }
        }
        return values;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(addFrom(store, inputs.singletonOrThrow(), 0, training));
    }

    @Override
    public NDArray addFrom(ParameterStore store, NDArray x, long start, boolean training) {
        long time = x.getShape().get(1);                                          // x: (B, T, C)
        NDArray positions = table.slice(store, x, new NDIndex("{}:{}", start, start + time)); // (T, C)
        return x.add(positions);                                                  // (B, T, C) + (T, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
