package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * LoRA's low-rank update, the block that sits beside a Linear layer W (out, in) and is added to its output:
 *
 * <pre>
 *   y = W x + b  +  (alpha / r) · B (A (dropout(x)))      A: (r, in), B: (out, r), r much smaller than in, out
 * </pre>
 *
 * Fine-tuning changes a pretrained matrix by some ΔW; LoRA's bet is that a useful ΔW has low rank, so it learns
 * ΔW = B·A with r (in + out) numbers instead of in·out. W stays frozen. A starts random and B at zero, so B·A = 0 and
 * the adapted model starts exactly where the base model is; the first steps move B, and through it A gets gradients.
 * Once trained, B·A·scale can be added into W ({@code scratchgpt lora merge}) and the adapter disappears.
 *
 * <p>This block computes only the update term (the model adds it to its Linear's output), so the base Linear keeps
 * its place and its parameter names. Input (..., in), output (..., out).
 */
public final class LoraAdapter extends AbstractBlock {

    private final Parameter down;  // A (r, in): reads r directions of the input
    private final Parameter up;    // B (out, r): writes them back as an output change; zero at first
    private final Parameter adapted; // W (out, in), the base matrix the update belongs to (frozen)
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
        return new NDList(compute.linear(low, b, training).mul(scale));      // (..., r) @ (r, out) -> (..., out)
    }

    /** An update for {@code linear}, which has {@code outputs} outputs: beside it, reading the same input. */
    static LoraAdapter beside(Linear linear, LoraTarget target, long outputs, LoraSettings settings, Compute compute) {
        return new LoraAdapter(settings, target, linear.getParameters().get("weight"), outputs, compute);
    }

    /** Whether {@code lora} (null: no LoRA) puts an adapter beside the layers of {@code target}. */
    static boolean wanted(LoraSettings lora, LoraTarget target) {
        return lora != null && lora.adapts(target);
    }

    /** {@code y} (the base layer's output for x) plus this update for x; y itself when there is no adapter. */
    static NDArray added(LoraAdapter adapter, NDArray y, NDArray x, ParameterStore store, boolean training) {
        return adapter == null ? y : y.add(Forward.through(adapter, x, store, training)); // (..., out)
    }

    /** The update as one matrix, scale · B·A (out, in): what merging adds to the base weight W (out, in). */
    public NDArray delta() {
        return up.getArray().matMul(down.getArray()).mul(scale);              // (out, r) @ (r, in) -> (out, in)
    }

    /** The base matrix W (out, in) this update is added to. */
    public Parameter adapted() {
        return adapted;
    }

    /** Which kind of layer it adapts. */
    public LoraTarget target() {
        return target;
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

    /** Every adapter inside {@code block}, depth first, in the order of the block's children. */
    public static List<LoraAdapter> in(Block block) {
        List<LoraAdapter> found = new ArrayList<>();
        if (block instanceof LoraAdapter adapter) {
            found.add(adapter);
        }
        for (Block child : block.getChildren().values()) {
            found.addAll(in(child));
        }
        return found;
    }
}
