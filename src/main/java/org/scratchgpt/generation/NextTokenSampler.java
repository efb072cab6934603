package org.scratchgpt.generation;

import java.util.Arrays;
import java.util.Random;
import org.scratchgpt.UserError;

/**
 * Picks the next token from the model's scores (logits) for it, one float per vocabulary entry. In order:
 * divide by the temperature, keep the top k, softmax into probabilities, keep the nucleus (top p), draw one
 * token at random in proportion to what is left. Temperature 0 skips all that and takes the most likely token.
 *
 * <p>This works on a plain {@code float[]} in Java rather than on NDArrays: the vocabulary is small (65 to
 * 50k), one copy of it per generated token is cheap next to the model's forward pass, and each step reads as
 * the loop it is and can be tested without an engine. A draw uses {@link Random} from the seed, so the same
 * seed gives the same tokens.
 *
 * <p>Ties: top-k keeps every token whose score equals the k-th largest, as nanoGPT does ({@code logits <
 * v[:, [-1]]} is set to minus infinity), so it may keep more than k; top-p likewise keeps every token as
 * likely as the last one the nucleus needs. Neither ever keeps fewer than one token.
 */
public final class NextTokenSampler {

    private final SamplingSettings settings;
    private final Random random;

    public NextTokenSampler(SamplingSettings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** The id of the next token, drawn from {@link #probabilities}. */
    public int next(float[] logits) {
        checkFinite(logits);
        return settings.isGreedy() ? argmax(logits) : draw(distribution(logits));
    }

    /** The distribution {@link #next} draws from: zero outside top-k and the nucleus, summing to 1. */
    public double[] probabilities(float[] logits) {
        checkFinite(logits);
        if (settings.isGreedy()) {
            double[] oneHot = new double[logits.length];
            oneHot[argmax(logits)] = 1;
            return oneHot;
        }
        return distribution(logits);
    }

    private double[] distribution(float[] logits) {
        double[] scores = divideByTemperature(logits);         // (V)
        keepTopK(scores);                                      // (V), the rest minus infinity
        double[] probabilities = softmax(scores);              // (V), sums to 1
        keepNucleus(probabilities);                            // (V), the rest 0, sums to 1 again
        return probabilities;
    }

    // Ties go to the lowest id, like torch.argmax.
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    // In double: a small temperature (0.01) scales logits by 100, and exp() of the result must not overflow.
    private double[] divideByTemperature(float[] logits) {
        double[] scores = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scores[i] = logits[i] / settings.temperature();
        }
        return scores;
    }

    private void keepTopK(double[] scores) {
        int k = settings.topK();
        if (k == 0 || k >= scores.length) {
            return; // off, or nothing to cut
        }
        double[] ascending = scores.clone();
        Arrays.sort(ascending);
        double kthLargest = ascending[scores.length - k];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kthLargest) {
                scores[i] = Double.NEGATIVE_INFINITY; // softmax turns it into a probability of exactly 0
            }
        }
    }

    // Subtracting the largest score first keeps exp() at most 1, so it never overflows.
    static double[] softmax(double[] scores) {
        double max = Arrays.stream(scores).max().orElseThrow();
        double[] probabilities = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            probabilities[i] = Math.exp(scores[i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] /= sum;
        }
        return probabilities;
    }

    /**
     * Walks the probabilities from the largest down, adding them up, until the sum reaches p; that last
     * probability is the threshold, and everything below it is dropped. The most likely token always stays.
     */
    private void keepNucleus(double[] probabilities) {
        if (settings.topP() >= 1) {
            return;
        }
        double[] ascending = probabilities.clone();
        Arrays.sort(ascending);
        double threshold = ascending[0]; // if rounding keeps the sum below p, everything stays
        double cumulative = 0;
        for (int i = ascending.length - 1; i >= 0; i--) {
            cumulative += ascending[i];
            if (cumulative >= settings.topP()) {
                threshold = ascending[i];
                break;
            }
        }
        double kept = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] < threshold) {
                probabilities[i] = 0;
            }
            kept += probabilities[i];
        }
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] /= kept;
        }
    }

    /** Inverse-CDF draw: a uniform number in [0, 1) lands in token i's slice of the cumulative sum. */
    private int draw(double[] probabilities) {
        double u = random.nextDouble();
        double cumulative = 0;
        int lastPossible = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] > 0) {
                cumulative += probabilities[i];
                lastPossible = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return lastPossible; // the sum came out a hair below 1 and u landed in the gap
    }

    private static void checkFinite(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("no logits: the vocabulary is empty");
        }
        for (float logit : logits) {
            if (!Float.isFinite(logit)) {
                throw new UserError("the model's logits contain " + logit + ": its weights are probably broken"
                        + " (a training run that diverged); sample from an earlier checkpoint");
            }
        }
    }
}
