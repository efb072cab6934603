package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.DoubleUnaryOperator;

/**
 * Rotary positions (RoPE): instead of adding anything to the embeddings, attention rotates each query and key
 * by an angle proportional to its position. Channel i of a head is paired with channel i + hs/2 (the GPT-NeoX
 * and Hugging Face LLaMA layout), and pair i turns by t / 10000^(2i/hs) at position t. Rotating both q and k
 * makes q . k depend on how far apart two tokens are, not on where they are. It takes (q, k), each
 * (B, nh, T, hs), and returns them rotated.
 */
public final class RotaryPositionalEncoding extends AbstractBlock {

    private final ConstantCache cosines;
    private final ConstantCache sines;

    public RotaryPositionalEncoding(int contextLength, int headSize) {
        this.cosines = new ConstantCache(manager -> table(manager, contextLength, headSize, Math::cos));
        this.sines = new ConstantCache(manager -> table(manager, contextLength, headSize, Math::sin));
    }

    /** The angle by which pair {@code pair} (channels pair and pair + hs/2) turns at {@code position}. */
    static double angle(int position, int pair, int headSize) {
        return position / Math.pow(10000, 2.0 * pair / headSize);
    }

    private static NDArray table(NDManager manager, int contextLength, int headSize, DoubleUnaryOperator f) {
        return manager.create(tableValues(contextLength, headSize, f),
                new Shape(contextLength, headSize / 2));                 // (context_length, hs/2)
    }

    /**
     * The (context_length, hs/2) table of {@code f} (cos or sin) of every position's angles, row by row; an
     * exported model carries the same numbers.
     */
    public static float[] tableValues(int contextLength, int headSize, DoubleUnaryOperator f) {
        int pairs = headSize / 2;
        float[] values = new float[contextLength * pairs];
        for (int t = 0; t < contextLength; t++) {
            for (int i = 0; i < pairs; i++) {
                values[t * pairs + i] = (float) f.applyAsDouble(angle(t, i, headSize));
            }
        }
        return values;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return rotateFrom(store, inputs.get(0), inputs.get(1), 0);
    }

    /**
     * q and k, each (B, nh, T, hs), rotated for positions start..start + T - 1. Generation with a {@link KvCache}
     * passes only the newest tokens, and they must turn by their true positions' angles, not from 0.
     */
    NDList rotateFrom(ParameterStore store, NDArray q, NDArray k, long start) {
        NDIndex positions = new NDIndex("{}:{}", start, start + q.getShape().get(2));
        NDArray cos = cosines.slice(store, q, positions);              // (T, hs/2)
        NDArray sin = sines.slice(store, q, positions);                // (T, hs/2)
        return new NDList(rotate(q, cos, sin), rotate(k, cos, sin));   // 2 x (B, nh, T, hs)
    }

    /** Turns each pair (x[i], x[i + hs/2]) by its angle: (a, b) -> (a cos - b sin, a sin + b cos). */
    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, 3);                // (B, nh, T, hs) -> 2 x (B, nh, T, hs/2)
        NDArray a = halves.get(0);
        NDArray b = halves.get(1);
        NDArray turnedA = a.mul(cos).sub(b.mul(sin)); // (B, nh, T, hs/2) * (T, hs/2)
        NDArray turnedB = a.mul(sin).add(b.mul(cos)); // (B, nh, T, hs/2)
        return turnedA.concat(turnedB, 3);            // -> (B, nh, T, hs)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], inputShapes[1]};
    }
}
