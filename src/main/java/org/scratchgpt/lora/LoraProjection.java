package org.scratchgpt.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.scratchgpt.model.Forward;

/**
 * A projection of the model with LoRA (Hu et al. 2021, "Low-Rank Adaptation of Large Language Models"): the
 * projection's own W x + b, frozen, plus a small update that is trained in its place.
 *
 * <pre>
 *   y = W x + b  +  (alpha / r) · B (A x)      A: (r, in), B: (out, r), r much smaller than in and out
 * </pre>
 *
 * Fine-tuning changes a pretrained matrix W (out, in) by some ΔW. LoRA's bet is that a useful ΔW has low rank, so
 * it learns ΔW = B·A instead: A reads r directions of the input, B writes them back as a change of the output,
 * r (in + out) numbers where W has in · out. W itself stays frozen.
 * <ul>
 *   <li>A starts random and B at zero, so B·A = 0 and the adapted model starts exactly where the base model is.
 *       Both zero would never move (each one's gradient goes through the other); with B = 0 the first steps move
 *       B, and through it A gets gradients.</li>
 *   <li>The update is scaled by alpha / r, so that trying another rank r keeps the update's size, and the learning
 *       rate that suits it. Dropout, when asked for, acts on the update's input only.</li>
 *   <li>Merging is exact: W x + scale · B (A x) = (W + scale · B·A) x, so adding the (out, in) matrix
 *       scale · B·A into W ({@link LoraMerge}) gives an ordinary model that computes the same, up to float
 *       rounding, and the update disappears.</li>
 * </ul>
 *
 * <p>{@link LoraModel#adapt} puts one in the place of each projection LoRA targets. The projection stays where it
 * is in the model, with its weights' names, so base weights load by name; this block joins it as a sibling called
 * after it ({@code queryKeyValueLora} beside {@code queryKeyValue}), which names A and B as LoRA checkpoints have
 * them ({@code ..._queryKeyValueLora_A}). The update is a {@link LoraAdapter}. Input (..., in), output (..., out).
 */
public final class LoraProjection extends AbstractBlock {

    private final Block base;          // the projection, W x + b: frozen, and a child of the block that has it
    private final LoraAdapter adapter; // (alpha / r) · B (A x)

    LoraProjection(Block base, LoraAdapter adapter) {
        this.base = base;
        this.adapter = adapter;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                 // (..., in)
        NDArray y = Forward.through(base, x, store, training);                 // W x + b, (..., out)
        return new NDList(y.add(Forward.through(adapter, x, store, training))); // + (alpha / r) · B (A x)
    }

    /** The update's A and B: the projection's own weights are named where the projection is. */
    @Override
    public ParameterList getParameters() {
        return adapter.getParameters();
    }

    /** The update. */
    public LoraAdapter adapter() {
        return adapter;
    }

    /** The projection, then the update; neither is a child of this block, which keeps the names as they are. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, inputShapes);
        adapter.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return base.getOutputShapes(inputShapes);
    }
}
