package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.create;
import static org.scratchgpt.model.ModelTesting.fixedValues;
import static org.scratchgpt.model.ModelTesting.forward;
import static org.scratchgpt.model.ModelTesting.initialize;
import static org.scratchgpt.model.ModelTesting.relativeError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LayerNormTest {

    private static final int ROWS = 6; // B * T = 2 * 3
    private static final int WIDTH = 5;

    @Test
    void matchesTheFormulaComputedInDoubles() {
        double[] x = fixedValues(ROWS * WIDTH, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * 3 + 1); // an offset and a spread, so that normalising has work to do
        }
        double[] weight = fixedValues(WIDTH, 2);
        double[] bias = fixedValues(WIDTH, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerNorm norm = new LayerNorm(WIDTH, true);
            initialize(norm, manager, new Shape(2, 3, WIDTH));
            ModelTesting.set(ModelTesting.parameter(norm, "weight"), weight);
            ModelTesting.set(ModelTesting.parameter(norm, "bias"), bias);

            NDArray y = forward(norm, manager, create(manager, x, new Shape(2, 3, WIDTH)), false);

            assertArrayEquals(new long[] {2, 3, WIDTH}, y.getShape().getShape());
            double error = relativeError(y.toFloatArray(), layerNorm(x, weight, bias));
            System.out.printf("LayerNorm vs float64: relative error %.2e%n", error);
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    @Test
    void freshLayerNormOnlyNormalisesAndHasNoBiasWhenOff() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerNorm norm = new LayerNorm(WIDTH, false);
            initialize(norm, manager, new Shape(1, 1, WIDTH));
            assertTrue(norm.getParameters().size() == 1, "only a weight when bias is off");
            double[] x = {1, 2, 3, 4, 5};
            NDArray y = forward(norm, manager, create(manager, x, new Shape(1, 1, WIDTH)), false);
            double error = relativeError(y.toFloatArray(), layerNorm(x, new double[] {1, 1, 1, 1, 1}, new double[WIDTH]));
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    /** The fused kernel's gradients (input, gain, bias) equal those of the written-out formula, through autograd. */
    @Test
    void fusedGradientsEqualTheFormulasGradients() {
        double[] x = fixedValues(ROWS * WIDTH, 4);
        double[] upstream = fixedValues(ROWS * WIDTH, 5); // weights of the scalar whose gradient is taken
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerNorm norm = new LayerNorm(WIDTH, true);
            initialize(norm, manager, new Shape(ROWS, WIDTH));
            ModelTesting.set(ModelTesting.parameter(norm, "weight"), fixedValues(WIDTH, 6));
            ModelTesting.set(ModelTesting.parameter(norm, "bias"), fixedValues(WIDTH, 7));
            NDArray gain = ModelTesting.parameter(norm, "weight").getArray();
            NDArray shift = ModelTesting.parameter(norm, "bias").getArray();
            NDArray w = create(manager, upstream, new Shape(ROWS, WIDTH));

            float[][] fused = gradients(manager, x, gain, shift, input -> forward(norm, manager, input, true).mul(w).sum());
            float[][] formula = gradients(manager, x, gain, shift, input -> LayerNorm.reference(input, gain, shift).mul(w).sum());
            for (int i = 0; i < fused.length; i++) {
                double error = relativeError(fused[i], toDoubles(formula[i]));
                System.out.printf("LayerNorm gradient %d, fused vs formula: relative error %.2e%n", i, error);
                assertTrue(error < 1e-5, "gradient " + i + ": relative error " + error);
            }
        }
    }

    /** d(loss)/d(input), d(loss)/d(gain), d(loss)/d(bias), for a loss built from a fresh input. */
    private static float[][] gradients(NDManager manager, double[] x, NDArray gain, NDArray shift,
            java.util.function.Function<NDArray, NDArray> loss) {
        NDArray input = create(manager, x, new Shape(ROWS, WIDTH));
        input.setRequiresGradient(true);
        org.scratchgpt.optim.Gradients.zero(gain); // DJL never zeroes gradients: clear the previous loss's
        org.scratchgpt.optim.Gradients.zero(shift);
        try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            collector.backward(loss.apply(input));
        }
        float[][] grads = {input.getGradient().toFloatArray(), gain.getGradient().toFloatArray(),
            shift.getGradient().toFloatArray()};
        return grads;
    }

    private static double[] toDoubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** A config's layer_norm_epsilon reaches the kernel: a large one (0.5) visibly changes small-variance rows. */
    @Test
    void configsEpsilonIsUsed() {
        double[] x = fixedValues(ROWS * WIDTH, 8); // values in [-1, 1): variances well below 0.5
        try (NDManager manager = NDManager.newBaseManager()) {
            GptConfig config = new GptConfig(10, 4, 1, 1, WIDTH, 0, false, PositionalEncoding.LEARNED, true,
                    GeluForm.EXACT, 0.5);
            LayerNorm norm = LayerNorm.of(config);
            initialize(norm, manager, new Shape(2, 3, WIDTH));
            NDArray y = forward(norm, manager, create(manager, x, new Shape(2, 3, WIDTH)), false);
            double[] ones = {1, 1, 1, 1, 1};
            double error = relativeError(y.toFloatArray(), layerNorm(x, ones, new double[WIDTH], 0.5));
            assertTrue(error < 1e-5, "relative error " + error);
            assertTrue(relativeError(y.toFloatArray(), layerNorm(x, ones, new double[WIDTH])) > 0.1,
                    "epsilon 0.5 must differ from 1e-5");
        }
    }

    /** The reference: each row of WIDTH numbers normalised with the biased variance and eps 1e-5. */
    private static double[] layerNorm(double[] x, double[] weight, double[] bias) {
        return layerNorm(x, weight, bias, 1e-5);
    }

    /** The reference with another epsilon. */
    private static double[] layerNorm(double[] x, double[] weight, double[] bias, double epsilon) {
        double[] y = new double[x.length];
        for (int row = 0; row < x.length / WIDTH; row++) {
            double mean = 0;
            for (int c = 0; c < WIDTH; c++) {
                mean += x[row * WIDTH + c] / WIDTH;
            }
            double variance = 0;
            for (int c = 0; c < WIDTH; c++) {
                double d = x[row * WIDTH + c] - mean;
                variance += d * d / WIDTH;
            }
            for (int c = 0; c < WIDTH; c++) {
                y[row * WIDTH + c] = (x[row * WIDTH + c] - mean) / Math.sqrt(variance + epsilon) * weight[c] + bias[c];
            }
        }
        return y;
    }
}
