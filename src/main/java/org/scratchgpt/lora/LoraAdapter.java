package org.scratchgpt.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.List;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Forward;
import org.scratchgpt.model.Scalars;

/**
 * LoRA's update term on its own, the (alpha / r) · B (A (dropout(x))) that a {@link LoraProjection} adds to its
 * projection's output; that class explains the method. A (r, in) starts random, B (out, r) at zero.
 * Input (..., in), output (..., out).
 */
public final class LoraAdapter extends AbstractBlock {

    private final Parameter down;  // A (r, in): reads r directions of the input
    private final Parameter up;    // B (out, r): writes them back as an output change; zero at first
    private final Parameter adapted; // W (out, in), the base matrix the update belongs to (frozen)
    private final LoraSettings settings;
    private final LoraTarget target;
    private final Dropout dropout;
    private final int rank;
    private final long outputs;
    private final float scale;
    private final Compute compute;

    /**
     * An update for the matrix {@code adapted}, which has {@code outputs} rows; the input width is learnt from the
     * first input shape.
     */
    LoraAdapter(LoraSettings settings, LoraTarget target, Parameter adapted, long outputs, Compute compute) {
        this.settings = settings;
        this.target = target;
        this.adapted = adapted;
        this.rank = settings.rank();
        this.outputs = outputs;
        this.scale = (float) settings.scale();
        this.compute = compute;
        this.down = addParameter(Parameter.builder().setName("A").setType(Parameter.Type.WEIGHT).build());
        this.up = addParameter(Parameter.builder().setName("B").setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ZEROS).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate((float) settings.dropout()).build());
    }

    /**
     * Sets A's and B's shapes from the input width, and A's initial values: Kaiming-uniform with a = sqrt(5), as
     * torch initialises a Linear and LoRA's reference code (peft) initialises A, which comes to U(-1/sqrt(in),
     * 1/sqrt(in)).
     */
    @Override
    protected void prepare(Shape[] inputShapes) {
        long inputs = inputShapes[0].get(inputShapes[0].dimension() - 1);
        down.setShape(new Shape(rank, inputs));
        up.setShape(new Shape(outputs, rank));
        down.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(inputs))));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                               // (..., in)
        NDArray a = store.getValue(down, x.getDevice(), training);            // (r, in)
        NDArray b = store.getValue(up, x.getDevice(), training);              // (out, r)
        NDArray kept = Forward.through(dropout, x, store, training);          // (..., in)
        NDArray low = compute.linear(kept, a, training);                      // (..., in) @ (in, r) -> (..., r)
        return new NDList(Scalars.times(compute.linear(low, b, training), scale)); // (..., r) @ (r, out) -> (..., out)
    }

    /** An update for {@code linear}, which has {@code outputs} outputs: beside it, reading the same input. */
    public static LoraAdapter beside(Linear linear, LoraTarget target, long outputs, LoraSettings settings,
                                     Compute compute) {
        return new LoraAdapter(settings, target, linear.getParameters().get("weight"), outputs, compute);
    }

    /** The update as one matrix, scale · B·A (out, in): what merging adds to the base weight W (out, in). */
    public NDArray delta() {
        return Scalars.times(up.getArray().matMul(down.getArray()), scale);  // (out, r) @ (r, in) -> (out, in)
    }

    /** The base matrix W (out, in) this update is added to. */
    public Parameter adapted() {
        return adapted;
    }

    /** Which kind of layer it adapts. */
    public LoraTarget target() {
        return target;
    }

    /** The settings it was made with, shared by all adapters of a model. */
    public LoraSettings settings() {
        return settings;
    }

    /** The adapter's two matrices, A then B. */
    public List<Parameter> matrices() {
        return List.of(down, up);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        dropout.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x.slice(0, x.dimension() - 1).add(outputs)};
    }
}
