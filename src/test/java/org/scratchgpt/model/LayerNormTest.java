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

    /** The reference: each row of WIDTH numbers normalised with the biased variance and eps 1e-5. */
    private static double[] layerNorm(double[] x, double[] weight, double[] bias) {
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
                y[row * WIDTH + c] = (x[row * WIDTH + c] - mean) / Math.sqrt(variance + 1e-5) * weight[c] + bias[c];
            }
        }
        return y;
    }
}
