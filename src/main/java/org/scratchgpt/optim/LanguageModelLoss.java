package org.scratchgpt.optim;

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
 *
 * <p>{@link #masked()} is the loss of instruction tuning: a target of {@link #IGNORED} (-1) is not counted, and the
 * mean is taken over the counted positions only, {@code sum(counted -log p) / count}, so that an answer's tokens
 * weigh the same however much prompt and padding surround them. With accumulation each micro-batch gives the mean
 * over its own counted positions, divided by k: the step's loss is the mean of the micro-batch means (a micro-batch
 * with few counted tokens weighs as much as one with many). A batch with no counted position has loss 0.
 */
public final class LanguageModelLoss extends Loss {
    /** The target id of a position the masked loss does not count. */
    public static final int IGNORED = -1;

    private final boolean masked;

    /** Every position counts: pretraining. */
    public LanguageModelLoss() {
        this(false);
    }

    private LanguageModelLoss(boolean masked) {
        super("cross_entropy");
        this.masked = masked;
    }

    /** Positions whose target is {@link #IGNORED} do not count; the mean is over the others. */
    public static LanguageModelLoss masked() {
        return new LanguageModelLoss(true);
    }

    /** DJL's order, as {@code Trainer} calls it: targets (B, T) first, then logits (B, T, V). Returns a scalar. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return crossEntropy(predictions.singletonOrThrow(), labels.singletonOrThrow());
    }

    /** Mean cross-entropy of logits (B, T, V) against target token ids (B, T); a scalar on the logits' manager. */
    public NDArray crossEntropy(NDArray logits, NDArray targets) {
        checkShapes(logits.getShape(), targets.getShape());
        if (masked) {
            return maskedCrossEntropy(logits, targets);
        }
        NDArray logProbabilities = logits.logSoftmax(2);                                      // (B, T, V)
        NDArray targetLogProbabilities = logProbabilities.gather(targets.expandDims(2), 2);  // (B, T, 1)
        return targetLogProbabilities.mean().neg();                                          // ()
    }

    /** The mean over the positions whose target is not {@link #IGNORED}; kept apart so the plain path stays as it was. */
    private static NDArray maskedCrossEntropy(NDArray logits, NDArray targets) {
        NDArray counted = targets.neq(IGNORED);                                             // (B, T) boolean
        NDArray anyTarget = targets.mul(counted.toType(targets.getDataType(), false));      // (B, T), -1 -> 0
        NDArray logProbabilities = logits.logSoftmax(2);                                     // (B, T, V)
        NDArray targetLogProbabilities = logProbabilities.gather(anyTarget.expandDims(2), 2).squeeze(2); // (B, T)
        NDArray weights = counted.toType(targetLogProbabilities.getDataType(), false);      // (B, T) 1 or 0
        NDArray count = weights.sum().maximum(1);                                           // () at least 1
        return targetLogProbabilities.mul(weights).sum().div(count).neg();                  // ()
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
