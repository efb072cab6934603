package org.scratchgpt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;
import org.scratchgpt.training.TrainingTesting;

class LanguageModelLossTest {

    private static final int B = 2;
    private static final int T = 3;
    private static final int V = 5;
    private static final int[][] TARGETS = {{0, 4, 2}, {3, 3, 1}};

    private final LanguageModelLoss loss = new LanguageModelLoss();

    /** Against cross-entropy in doubles, with logits spread over +-20. Bound: 1e-6 relative. */
    @Test
    void matchesAFloat64Reference() {
        double[] logits = logits(0);
        double error = Math.abs(lossOf(logits) - reference(logits)) / reference(logits);
        System.out.printf("cross-entropy vs float64: relative error %.3g%n", error);
        assertTrue(error < 1e-6, "relative error " + error);
    }

    /**
     * One position shifted by +1000, where exp() would overflow even in float64 without log-softmax's shift by
     * the largest logit. Same bound: 1e-6 relative (the reference takes the same float32-rounded logits).
     */
    @Test
    void largeLogitsDoNotOverflow() {
        double[] logits = logits(1000);
        double error = Math.abs(lossOf(logits) - reference(logits)) / reference(logits);
        System.out.printf("cross-entropy with logits near 1000 vs float64: relative error %.3g%n", error);
        assertTrue(error < 1e-6, "relative error " + error);
    }

    private double lossOf(double[] logits) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.create(TrainingTesting.toFloats(logits), new Shape(B, T, V));
            return loss.evaluate(new NDList(manager.create(TARGETS)), new NDList(z)).getFloat();
        }
    }

    /** DJL's SoftmaxCrossEntropyLoss gives the same mean once logits and targets are flattened over (B*T). */
    @Test
    void agreesWithDjlsLossOnFlattenedInputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(TrainingTesting.toFloats(logits(0)), new Shape(B, T, V));
            NDArray targets = manager.create(TARGETS);
            float ours = loss.crossEntropy(logits, targets).getFloat();
            float djls = Loss.softmaxCrossEntropyLoss().evaluate(
                    new NDList(targets.reshape(B * T)), new NDList(logits.reshape(B * T, V))).getFloat();
            assertEquals(djls, ours, 1e-6 * ours);
        }
    }

    @Test
    void uniformGuessingCostsLogV() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.zeros(new Shape(B, T, V));
            assertEquals(Math.log(V), loss.crossEntropy(logits, manager.create(TARGETS)).getFloat(), 1e-6);
        }
    }

    /**
     * Autograd's gradient of the loss with respect to the logits, in float64, against central differences
     * (L(z + h) - L(z - h)) / 2h of the same loss, h = 1e-6. Truncation (h² ~ 1e-12) and rounding (1e-16 / h ~
     * 1e-10) errors are far below the bound of 1e-7 relative to the largest gradient.
     */
    @Test
    void gradientMatchesCentralDifferences() {
        double h = 1e-6;
        double[] logits = logits(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray targets = manager.create(TARGETS);
            NDArray z = manager.create(logits, new Shape(B, T, V));             // float64
            z.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.crossEntropy(z, targets));
            }
            double[] gradient = z.getGradient().toDoubleArray();

            double worst = 0;
            double scale = 0;
            for (int i = 0; i < logits.length; i++) {
                double numeric = (lossAt(manager, shifted(logits, i, h), targets)
                        - lossAt(manager, shifted(logits, i, -h), targets)) / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - gradient[i]));
                scale = Math.max(scale, Math.abs(gradient[i]));
            }
            System.out.printf("cross-entropy gradient vs central differences: relative error %.3g%n", worst / scale);
            assertTrue(worst / scale < 1e-7, "relative error " + worst / scale);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.zeros(new Shape(B, T, V));
            UserError error = assertThrows(UserError.class,
                    () -> loss.crossEntropy(logits, manager.zeros(new Shape(B, T + 1))));
            assertTrue(error.getMessage().contains("got logits (2, 3, 5) and targets (2, 4)"), error.getMessage());
            assertThrows(UserError.class, () -> loss.crossEntropy(logits.reshape(B * T, V), manager.create(TARGETS)));
        }
    }

    private double lossAt(NDManager manager, double[] logits, NDArray targets) {
        try (NDManager scratch = manager.newSubManager()) {
            return loss.crossEntropy(scratch.create(logits, new Shape(B, T, V)), targets).getDouble();
        }
    }

    private static double[] shifted(double[] values, int index, double by) {
        double[] copy = values.clone();
        copy[index] += by;
        return copy;
    }

    /** Logits in (-20, 20), float32-exact; position (1, 2) shifted by {@code shift}. */
    private static double[] logits(double shift) {
        double[] logits = TrainingTesting.fixedValues(B * T * V, 42);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (logits[i] * 20);
        }
        int shiftedPosition = (1 * T + 2) * V;
        for (int v = 0; v < V; v++) {
            logits[shiftedPosition + v] = (float) (logits[shiftedPosition + v] + shift);
        }
        return logits;
    }

    /** Mean over positions of log(sum_j exp(z_j)) - z_target, the log-sum-exp taken around the largest z. */
    private static double reference(double[] logits) {
        double total = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int offset = (b * T + t) * V;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    max = Math.max(max, logits[offset + v]);
                }
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(logits[offset + v] - max);
                }
                total += max + Math.log(sum) - logits[offset + TARGETS[b][t]];
            }
        }
        return total / (B * T);
    }
}
