package org.scratchgpt.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import org.scratchgpt.tokens.TrainingBatches;

/**
 * How well the model predicts text it was not trained on. The loss is the mean cross-entropy in nats per
 * token; perplexity, e^loss, is "as unsure as a uniform choice among that many tokens"; bits per byte,
 * loss / ln 2 / (bytes per token), compares models with different tokenizers on the same text.
 *
 * <p>Each evaluation uses the same batches (a fixed seed), so the curve moves only because the model did.
 */
public final class Evaluation {
    private static final long SEED = 0x5eed;

    private Evaluation() {}

    /** Losses measured at one step. */
    public record Result(long step, double trainLoss, double valLoss, double valBytesPerToken) {
        public double perplexity() {
            return Math.exp(valLoss);
        }

        public double bitsPerByte() {
            return valLoss / Math.log(2) / valBytesPerToken;
        }
    }

    static Result run(Trainer trainer, long step, TrainingBatches train, TrainingBatches val, int batches, double valBytesPerToken) {
        return new Result(step, meanLoss(trainer, train, batches), meanLoss(trainer, val, batches), valBytesPerToken);
    }

    /** The mean loss over {@code batches} fixed batches, in inference mode (no dropout, no gradients). */
    static double meanLoss(Trainer trainer, TrainingBatches windows, int batches) {
        double sum = 0;
        try (NDManager scratch = trainer.getManager().newSubManager()) {
            for (Batch batch : windows.evaluationBatches(scratch, batches, SEED)) {
                try (batch) {
                    NDList logits = trainer.evaluate(batch.getData()); // (B, T, V)
                    sum += trainer.getLoss().evaluate(batch.getLabels(), logits).getFloat();
                }
            }
        }
        return sum / batches;
    }
}
