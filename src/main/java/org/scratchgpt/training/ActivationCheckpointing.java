package org.scratchgpt.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.Scalars;

/**
 * Activation checkpointing: memory traded for arithmetic. A normal training step keeps every intermediate array of
 * the forward pass until the backward pass has used it: per transformer block a dozen (B, T, C) arrays, the MLP's
 * (B, T, 4C) ones and attention's (B, nh, T, T) weights. Here only each block's input, one (B, T, C) array, is kept;
 * when the backward pass reaches a block, the block is run forward again from that input and its graph is used at
 * once. Activation memory becomes n_layer + 1 arrays of (B, T, C) plus one block's insides, for about one more
 * forward pass per step (a third more arithmetic).
 *
 * <p>PyTorch does this with {@code torch.utils.checkpoint}. DJL has neither that nor custom autograd functions, so
 * the backward pass is written out here one segment at a time, which shows why it works. The chain rule lets a
 * backward pass be cut at any array: if a block computes y = f(x) and g = dL/dy is known, the backward pass of the
 * scalar sum(y * g) gives every parameter of f exactly its share of dL/dθ (g · dy/dθ) and gives x its gradient
 * dL/dx = g · dy/dx, which is the g of the block below. So, for one micro-batch:
 *
 * <ol>
 *   <li>forward with no graph recorded, through the embeddings and each block, keeping each block's input;
 *   <li>the head: from the last block's output (a leaf that asks for its gradient), the final norm, the output head
 *       and the loss, then backward: the head's gradients, and g for the last block;
 *   <li>blocks n_layer - 1 down to 0: recompute from the kept input (a leaf), backward of sum(y * g), and the input's
 *       gradient is the next g;
 *   <li>the embeddings likewise, from the token ids.
 * </ol>
 *
 * Each stage runs in its own sub-{@link NDManager}, closed when the stage is done: DJL frees an array only when it is
 * closed, so this is what lets a block's intermediates go.
 *
 * <p>Dropout draws random masks, and the recomputation must draw the same ones, or its gradients would belong to
 * another network than the loss. So torch's generator is reseeded before every stage, in both passes, with a seed
 * made from the step's seed, the micro-batch and the stage ({@link #dropoutSeed}). The masks are as random as
 * without checkpointing, but not the same ones; a resumed run draws them again exactly.
 *
 * <p>The gradients equal those of the whole graph up to float rounding ({@code ActivationCheckpointingTest}).
 */
public final class ActivationCheckpointing {

    private final Gpt gpt;
    private final ParameterStore store;
    private final long stepSeed;
    private final int microBatch;
    private final NDManager kept; // what outlives a stage: the blocks' inputs and the gradient passed down

    private ActivationCheckpointing(Gpt gpt, ParameterStore store, long stepSeed, int microBatch, NDManager kept) {
        this.gpt = gpt;
        this.store = store;
        this.stepSeed = stepSeed;
        this.microBatch = microBatch;
        this.kept = kept;
    }

    /**
     * One micro-batch's forward and backward passes with checkpointing. Adds to every parameter's gradient what
     * backward of {@code loss / accumulationSteps * lossScale} on the whole graph would add (lossScale is float16's
     * loss scale, 1 otherwise), and returns {@code loss / accumulationSteps}.
     * No {@link GradientCollector} may be open: each stage opens its own.
     *
     * @param ids token ids (B, T)
     * @param targets the next tokens (B, T)
     * @param stepSeed the step's seed; with {@code microBatch} it fixes the dropout masks
     */
    public static float forwardBackward(Gpt gpt, ParameterStore store, Loss loss, NDArray ids, NDArray targets,
            int accumulationSteps, double lossScale, long stepSeed, int microBatch) {
        try (NDManager kept = ids.getManager().newSubManager()) {
            var pass = new ActivationCheckpointing(gpt, store, stepSeed, microBatch, kept);
            List<NDArray> inputs = pass.forwardWithoutGraph(ids);   // n_layer + 1 arrays (B, T, C)
            NDArray top = inputs.get(inputs.size() - 1);            // the last block's output
            NDArray scaledLoss = pass.backwardThrough(pass.headStage(), top, x -> Scalars.times(Scalars.dividedBy(
                    loss.evaluate(new NDList(targets), new NDList(gpt.logits(store, x, true))), // (B, T, V) -> ()
                    accumulationSteps), (float) lossScale));
            NDArray g = top.getGradient();                          // dL/dx at the top (B, T, C)
            for (int layer = inputs.size() - 2; layer >= 0; layer--) {
                g = pass.backwardThroughLayer(layer, inputs.get(layer), g);
                inputs.get(layer + 1).close();                      // used for the last time
            }
            NDArray gradient = g;
            if (gpt.embeddingsLearn()) { // not with LoRA: torch refuses a backward pass that reaches nothing to learn
                pass.backwardThrough(0, ids, x -> gpt.embed(store, x, true).mul(gradient).sum()); // (B, T, C) -> ()
            }
            return (float) (scaledLoss.getFloat() / lossScale);
        }
    }

    /**
     * Torch's seed before stage {@code stage} (0 the embeddings, i + 1 block i, n_layer + 1 the head) of a
     * micro-batch: the same in both passes, unrelated across stages, micro-batches and steps. Each number is stirred
     * in by SplittableRandom's mixing function, so neighbouring steps do not get neighbouring seeds.
     */
    static int dropoutSeed(long stepSeed, int microBatch, int stage) {
        long mixed = new SplittableRandom(stepSeed).nextLong() ^ microBatch;
        mixed = new SplittableRandom(mixed).nextLong() ^ stage;
        return new SplittableRandom(mixed).nextInt();
    }

    /** Pass 1: the stages' forward passes with gradients off; returns each block's input, then the last output. */
    private List<NDArray> forwardWithoutGraph(NDArray ids) {
        // Torch's grad mode is what makes it record a graph. DJL turns it off when the engine starts (on that
        // thread only: the mode is per thread) and a GradientCollector turns it on while it is open. Turning it
        // off here makes sure: a graph recorded here would keep every intermediate alive, and its backward pass
        // would reach the parameters a second time.
        boolean wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            List<NDArray> inputs = new ArrayList<>();
            NDArray x = inStage(0, ids, in -> gpt.embed(store, in, true));           // (B, T) -> (B, T, C)
            for (int layer = 0; layer < gpt.config().layers(); layer++) {
                inputs.add(x);
                int index = layer;
                x = inStage(layer + 1, x, in -> gpt.layer(index, store, in, true));  // (B, T, C)
            }
            inputs.add(x);
            return inputs;
        } finally {
            JniUtils.setGradMode(wasRecording);
        }
    }

    /** Pass 2, one block: recompute it from its input and send g back through it; returns the input's gradient. */
    private NDArray backwardThroughLayer(int layer, NDArray input, NDArray g) {
        backwardThrough(layer + 1, input, x -> gpt.layer(layer, store, x, true).mul(g).sum()); // (B, T, C) -> ()
        NDArray below = input.getGradient();                       // dL/dx one block down (B, T, C)
        g.close();
        return below;
    }

    /**
     * Runs {@code objective} (a stage's forward pass ending in a scalar) from {@code input} with the graph recorded,
     * then its backward pass, which adds into the parameters' gradients. A floating-point input becomes a leaf that
     * receives its own gradient; token ids do not need one. Returns the scalar, on {@code kept}.
     */
    private NDArray backwardThrough(int stage, NDArray input, UnaryOperator<NDArray> objective) {
        if (input.getDataType().isFloating()) {
            input.setRequiresGradient(true); // the graph starts here: input has no history (pass 1 recorded none)
        }
        return inStage(stage, input, in -> {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray scalar = objective.apply(in);                               // ()
                collector.backward(scalar);
                return scalar;
            }
        });
    }

    /**
     * Runs one stage in its own sub-manager of {@code kept}, torch reseeded for its dropout masks, and keeps only
     * what it returns. DJL makes an operation's result on its input's manager, so the input is lent to the stage's
     * manager for the duration; closing that manager frees everything else the stage made and gives the input back.
     */
    private NDArray inStage(int stage, NDArray input, UnaryOperator<NDArray> work) {
        try (NDManager segment = kept.newSubManager()) {
            input.tempAttach(segment);
            Engine.getInstance().setRandomSeed(dropoutSeed(stepSeed, microBatch, stage));
            NDArray result = work.apply(input);
            result.attach(kept);
            return result;
        }
    }

    private int headStage() {
        return gpt.config().layers() + 1;
    }
}
