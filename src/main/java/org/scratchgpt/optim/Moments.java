package org.scratchgpt.optim;

import ai.djl.ndarray.NDArray;

/**
 * What Adam remembers about one parameter on one device: the running average of its gradients (m), the running
 * average of their squares (v), and how many updates they have taken in (torch's {@code state['step']}). m and v
 * have the weight's shape and live on the weight's manager, so they are freed with the model.
 */
final class Moments {

    final NDArray mean;        // m, shaped like the weight
    final NDArray meanSquare;  // v, shaped like the weight
    private long steps;

    Moments(NDArray mean, NDArray meanSquare, long steps) {
        this.mean = mean;
        this.meanSquare = meanSquare;
        this.steps = steps;
    }

    /** Fresh moments for a weight that has never been updated: zeros, step 0. */
    static Moments zerosLike(NDArray weight) {
        return new Moments(weight.zerosLike(), weight.zerosLike(), 0);
    }

    /** A copy on {@code weight}'s device and manager, for the same parameter trained on another device. */
    Moments copyFor(NDArray weight) {
        return new Moments(copyOnto(mean, weight), copyOnto(meanSquare, weight), steps);
    }

    private static NDArray copyOnto(NDArray array, NDArray weight) {
        NDArray copy = array.toDevice(weight.getDevice(), true);
        copy.attach(weight.getManager());
        return copy;
    }

    /** Counts one more update and returns its number t: 1 for the first update. */
    long advance() {
        return ++steps;
    }

    long steps() {
        return steps;
    }

    void close() {
        mean.close();
        meanSquare.close();
    }
}
