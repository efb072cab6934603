package org.scratchgpt.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.Scalars;
import org.scratchgpt.optim.GradientClipping;
import org.scratchgpt.optim.LossScaler;
import org.scratchgpt.tokens.TrainingBatches;

/**
 * One optimizer step: k micro-batches forward and backward, whose gradients add up (DJL never zeroes them),
 * then clipping by the global norm, then the update. Accumulation is how a big batch fits in a small memory:
 * k batches of B give the same gradient as one batch of kB, because each micro-batch's loss is divided by k.
 * {@link ActivationCheckpointing} is the other way to fit: it keeps fewer of each micro-batch's activations.
 */
final class TrainingStep {
    private TrainingStep() {}

    /** What one step measured: the mean loss over its micro-batches and the gradient norm before clipping. */
    record Result(double loss, double gradientNorm) {
        boolean isFinite() {
            return Double.isFinite(loss) && Double.isFinite(gradientNorm);
        }
    }

    /**
     * Runs the forward and backward passes and clips; the caller updates only if the result is finite, so a
     * diverged step never reaches the weights. {@code stepSeed} fixes the step's dropout masks, so a resumed run
     * draws the same ones.
     */
    static Result forwardBackward(Trainer trainer, TrainingBatches data, int accumulationSteps, double gradClip,
            long stepSeed, boolean checkpointActivations) {
        return forwardBackward(trainer, data, accumulationSteps, gradClip, stepSeed, checkpointActivations,
                LossScaler.off());
    }

    /**
     * The same, with the loss multiplied by the scaler's scale before backward (float16 training); the gradients
     * are divided by it again, in float32, together with clipping. Non-finite gradients are left as they are.
     */
    static Result forwardBackward(Trainer trainer, TrainingBatches data, int accumulationSteps, double gradClip,
            long stepSeed, boolean checkpointActivations, LossScaler scaler) {
        Engine.getInstance().setRandomSeed((int) stepSeed);
        double loss = 0;
        for (int k = 0; k < accumulationSteps; k++) {
            try (NDManager scratch = trainer.getManager().newSubManager();
                    Batch batch = data.nextBatch(scratch)) {
                loss += checkpointActivations
                        ? checkpointed(trainer, batch, accumulationSteps, scaler.scale(), stepSeed, k)
                        : wholeGraph(trainer, batch, accumulationSteps, scaler.scale());
                if (k == accumulationSteps - 1) {
                    BatchData batchData = new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
                    trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, batchData));
                }
            }
        }
        var parameters = trainer.getModel().getBlock().getParameters();
        double norm = GradientClipping.globalNorm(parameters) / scaler.scale();             // of the true gradients
        double clip = gradClip > 0 ? GradientClipping.clippingFactor(norm, gradClip) : 1;
        if (Double.isFinite(norm)) {
            GradientClipping.scaleGradients(parameters, clip / scaler.scale());             // unscale and clip at once
        }
        return new Result(loss, norm);
    }

    /** One micro-batch, every activation kept for the backward pass (of loss / k x lossScale); returns loss / k. */
    private static float wholeGraph(Trainer trainer, Batch batch, int accumulationSteps, double lossScale) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList logits = trainer.forward(batch.getData()); // (B, T, V)
            NDArray microLoss = Scalars.dividedBy(trainer.getLoss().evaluate(batch.getLabels(), logits), accumulationSteps);
            collector.backward(lossScale == 1 ? microLoss : Scalars.times(microLoss, (float) lossScale));
            return microLoss.getFloat();
        }
    }

    /** One micro-batch with activation checkpointing; returns its loss / k. */
    private static float checkpointed(Trainer trainer, Batch batch, int accumulationSteps, double lossScale,
            long stepSeed, int k) {
        // On one device this store hands out the parameters' own arrays, as the Trainer's does, so the
        // gradients land where clipping and the optimizer read them.
        ParameterStore store = new ParameterStore(trainer.getManager(), false);
        return ActivationCheckpointing.forwardBackward((Gpt) trainer.getModel().getBlock(), store, trainer.getLoss(),
                batch.getData().singletonOrThrow(), batch.getLabels().singletonOrThrow(), accumulationSteps, lossScale,
                stepSeed, k);
    }
}
