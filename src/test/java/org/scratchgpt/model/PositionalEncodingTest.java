package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.create;
import static org.scratchgpt.model.ModelTesting.fixedValues;
import static org.scratchgpt.model.ModelTesting.forward;
import static org.scratchgpt.model.ModelTesting.initialize;
import static org.scratchgpt.model.ModelTesting.relativeError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class PositionalEncodingTest {

    @Test
    void sinusoidalTableMatchesTheTransformerPaper() {
        int time = 6;
        int width = 8;
        try (NDManager manager = NDManager.newBaseManager()) {
            SinusoidalPositionalEncoding encoding = new SinusoidalPositionalEncoding(16, width);
            initialize(encoding, manager, new Shape(1, time, width));
            assertTrue(encoding.getParameters().isEmpty(), "sinusoidal positions have nothing to train");

            // Added to zeros, the output is the table itself.
            NDArray table = forward(encoding, manager, manager.zeros(new Shape(1, time, width)), false);

            double[] expected = new double[time * width];
            for (int t = 0; t < time; t++) {
                for (int i = 0; i < width / 2; i++) {
                    double angle = t / Math.pow(10000, 2.0 * i / width);
                    expected[t * width + 2 * i] = Math.sin(angle);     // PE(t, 2i)
                    expected[t * width + 2 * i + 1] = Math.cos(angle); // PE(t, 2i+1)
                }
            }
            double error = relativeError(table.toFloatArray(), expected);
            System.out.printf("sinusoidal table vs float64: relative error %.2e%n", error);
            assertTrue(error < 1e-6, "relative error " + error);
        }
    }

    @Test
    void rotaryRotatesChannelPairsByPositionTimesFrequency() {
        int heads = 2;
        int time = 5;
        int headSize = 6;
        int size = heads * time * headSize;
        double[] q = fixedValues(size, 20);
        double[] k = fixedValues(size, 21);
        try (NDManager manager = NDManager.newBaseManager()) {
            RotaryPositionalEncoding rotary = new RotaryPositionalEncoding(16, headSize);
            Shape shape = new Shape(1, heads, time, headSize);
            initialize(rotary, manager, shape, shape);
            assertTrue(rotary.getParameters().isEmpty(), "rotary positions have nothing to train");

            NDList rotated = rotary.forward(new ParameterStore(manager, false),
                    new NDList(create(manager, q, shape), create(manager, k, shape)), false);

            double errorQ = relativeError(rotated.get(0).toFloatArray(), rotateByHand(q, heads, time, headSize));
            double errorK = relativeError(rotated.get(1).toFloatArray(), rotateByHand(k, heads, time, headSize));
            System.out.printf("rotary vs float64: relative error q %.2e, k %.2e%n", errorQ, errorK);
            assertTrue(errorQ < 1e-6 && errorK < 1e-6, "relative errors " + errorQ + ", " + errorK);
        }
    }

    @Test
    void rotaryScoresDependOnlyOnTheDistanceBetweenPositions() {
        int headSize = 4;
        double[] query = fixedValues(headSize, 30);
        double[] key = fixedValues(headSize, 31);
        try (NDManager manager = NDManager.newBaseManager()) {
            RotaryPositionalEncoding rotary = new RotaryPositionalEncoding(16, headSize);
            Shape shape = new Shape(1, 1, 8, headSize);
            initialize(rotary, manager, shape, shape);
            // The same query and key vector at every position 0..7.
            double[] repeatedQ = new double[8 * headSize];
            double[] repeatedK = new double[8 * headSize];
            for (int t = 0; t < 8; t++) {
                System.arraycopy(query, 0, repeatedQ, t * headSize, headSize);
                System.arraycopy(key, 0, repeatedK, t * headSize, headSize);
            }
            NDList rotated = rotary.forward(new ParameterStore(manager, false),
                    new NDList(create(manager, repeatedQ, shape), create(manager, repeatedK, shape)), false);
            float[] scores = rotated.get(0).matMul(rotated.get(1).transpose(0, 1, 3, 2)).toFloatArray(); // (8, 8)

            // Query at 3 with key at 1, and query at 7 with key at 5: both two apart.
            assertEquals(scores[3 * 8 + 1], scores[7 * 8 + 5], 1e-5);
            assertEquals(scores[2 * 8 + 2], scores[6 * 8 + 6], 1e-5);
        }
    }

    @Test
    void rotaryNeedsAnEvenHeadSize() {
        GptConfig odd = new GptConfig(11, 8, 1, 2, 6, 0.0, true, PositionalEncoding.ROTARY, true); // hs = 3
        UserError error = assertThrows(UserError.class, odd::validate);
        assertTrue(error.getMessage().contains("= 3 must be even"), error.getMessage());
    }

    /** Channel i and i + hs/2 of position t turn by t / 10000^(2i/hs). */
    private static double[] rotateByHand(double[] x, int heads, int time, int headSize) {
        double[] y = new double[x.length];
        int half = headSize / 2;
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < time; t++) {
                int row = (h * time + t) * headSize;
                for (int i = 0; i < half; i++) {
                    double angle = t / Math.pow(10000, 2.0 * i / headSize);
                    double a = x[row + i];
                    double b = x[row + i + half];
                    y[row + i] = a * Math.cos(angle) - b * Math.sin(angle);
                    y[row + i + half] = a * Math.sin(angle) + b * Math.cos(angle);
                }
            }
        }
        return y;
    }
}
