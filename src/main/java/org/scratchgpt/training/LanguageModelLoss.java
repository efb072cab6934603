package org.scratchgpt.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.scratchgpt.UserError;

/**
 * The language-model loss: cross-entropy between the model's scores for the next token and the token that really
 * came next, averaged over every position of every sequence in the batch. For one position with logits z (V
 * numbers) and target y it is {@code -log softmax(z)[y] = log(sum_j exp(z_j)) - z_y}: zero when the model puts all
 * its probability on y, log(V) when it guesses uniformly. It is computed through log-softmax, which subtracts the
 * largest logit before exponentiating, so large logits cannot overflow.
 *
 * <p>Written out rather than DJL's {@code SoftmaxCrossEntropyLoss}: in DJL 0.35.1 that one fails on (B, T, V) logits
 * with (B, T) targets ("shape '[2, 2, 1]' is invalid"); it gives the same number only after both are flattened to
 * (B*T, V) and (B*T). The three lines below say the same thing without the detour, and the mean over all B*T
 * positions is what nanoGPT's {@code F.cross_entropy(logits.view(-1, V), targets.view(-1))} computes.
 *
 * <p>Because it is a mean, gradient accumulation over k micro-batches must add {@code loss / k} from each one.
 */
public final class LanguageModelLoss extends Loss {

    public LanguageModelLoss() {
        super("cross_entropy");
    }

    /** DJL's order, as {@code Trainer} calls it: targets (B, T) first, then logits (B, T, V). Returns a scalar. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return crossEntropy(predictions.singletonOrThrow(), labels.singletonOrThrow());
    }

    /** Mean cross-entropy of logits (B, T, V) against target token ids (B, T); a scalar on the logits' manager. */
    public NDArray crossEntropy(NDArray logits, NDArray targets) {
        checkShapes(logits.getShape(), targets.getShape());
        NDArray logProbabilities = logits.logSoftmax(2);                                      // (B, T, V)
        NDArray targetLogProbabilities = logProbabilities.gather(targets.expandDims(2), 2);  // (B, T, 1)
        return targetLogProbabilities.mean().neg();                                          // ()
    }

    private static void checkShapes(Shape logits, Shape targets) {
        if (logits.dimension() != 3 || targets.dimension() != 2
                || logits.get(0) != targets.get(0) || logits.get(1) != targets.get(1)) {
            throw new UserError("the loss compares logits shaped (batch, time, vocab) with targets shaped"
                    + " (batch, time), got logits " + logits + " and targets " + targets
                    + ": the targets are the inputs shifted by one token, with the same batch and time");
        }
    }
}
