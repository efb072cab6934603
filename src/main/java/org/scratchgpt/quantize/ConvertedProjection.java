package org.scratchgpt.quantize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A projection whose weights were converted once for generation: what {@link HalfProjection} and {@link
 * Int8Projection} share. Its weights are copies, not parameters, so it has nothing to train, and nothing it does may
 * be trained through: a training forward pass is refused. Input (..., in), output (..., out).
 */
abstract class ConvertedProjection extends AbstractBlock {

    private final String format;
    private final long outputs;

    ConvertedProjection(String format, long outputs) {
        this.format = format;
        this.outputs = outputs;
    }

    /** y = x W^T (+ b) with the converted weights: (..., in) -> (..., out). */
    abstract NDArray apply(NDArray x);

    /** How many bytes one call reads of the weights (matrix, scales, bias): what bounds a generation step. */
    abstract long bytesRead();

    @Override
    protected final NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                           PairList<String, Object> params) {
        if (training) {
            throw new IllegalStateException("a projection converted to " + format + " for generation cannot be"
                    + " trained: its weights are fixed copies; train the float32 model it was converted from");
        }
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x.slice(0, x.dimension() - 1).add(outputs)};
    }
}
