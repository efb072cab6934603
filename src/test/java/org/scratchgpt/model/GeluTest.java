package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.relativeError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class GeluTest {

    @Test
    void tanhApproximationMatchesGpt2sFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.linspace(-6f, 6f, 241);
            float[] xs = x.toFloatArray();
            double[] expected = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                double v = xs[i];
                expected[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            }
            double error = relativeError(Gelu.tanhApproximation(x).toFloatArray(), expected);
            System.out.printf("GELU (tanh) vs float64: relative error %.2e%n", error);
            assertTrue(error < 1e-6, "relative error " + error);
        }
    }

    /** The tanh form trains: its gradient, negative inputs included, is the formula's derivative in float64. */
    @Test
    void tanhGradientIsFiniteAndExact() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.linspace(-5f, 5f, 101);
            x.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                collector.backward(GeluForm.TANH.apply(x, true).sum());
            }
            float[] xs = x.toFloatArray();
            double[] expected = new double[xs.length];
            double c = Math.sqrt(2 / Math.PI);
            for (int i = 0; i < xs.length; i++) {
                double v = xs[i];
                double t = Math.tanh(c * (v + 0.044715 * v * v * v));
                expected[i] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
            }
            double error = relativeError(x.getGradient().toFloatArray(), expected);
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    /** The config's choice, as the MLP applies it: tanh is GPT-2's formula in float64, exact is erf's. */
    @Test
    void geluFormsComputeTheirFormulas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.linspace(-6f, 6f, 241);
            float[] xs = x.toFloatArray();
            double[] tanh = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                double v = xs[i];
                tanh[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            }
            assertTrue(relativeError(GeluForm.TANH.apply(x, false).toFloatArray(), tanh) < 1e-6);
            assertEquals(0.8413447460685429, GeluForm.EXACT.apply(manager.create(new float[] {1f}), false).getFloat(0), 1e-6);
            assertEquals(GeluForm.TANH, GeluForm.parse(" Tanh "));
            assertTrue(assertThrows(UserError.class, () -> GeluForm.parse("relu")).getMessage()
                    .contains("unknown gelu 'relu': use one of exact, tanh"));
        }
    }

    /** A tanh config changes the MLP's output, by less than GELU's own gap times the weights. */
    @Test
    void feedForwardUsesTheConfigsGelu() {
        GptConfig exact = ModelTesting.tiny(PositionalEncoding.LEARNED);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(2, 3, exact.embeddingWidth()));
            FeedForward exactMlp = new FeedForward(exact);
            FeedForward tanhMlp = new FeedForward(exact.withGelu(GeluForm.TANH));
            ModelTesting.initialize(exactMlp, manager, x.getShape());
            ModelTesting.initialize(tanhMlp, manager, x.getShape());
            for (int i = 0; i < exactMlp.getParameters().size(); i++) {
                tanhMlp.getParameters().valueAt(i).getArray().set(exactMlp.getParameters().valueAt(i).getArray().toByteBuffer());
            }
            float gap = ModelTesting.forward(exactMlp, manager, x, false)
                    .sub(ModelTesting.forward(tanhMlp, manager, x, false)).abs().max().getFloat();
            assertTrue(gap > 0 && gap < 1e-3, "gap " + gap);
        }
    }

    /** What DJL's own gelu computes: PyTorch's exact erf form, not GPT-2's tanh approximation. */
    @Test
    void djlGeluIsTheExactErfForm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray one = manager.create(new float[] {1f});
            double exact = 0.8413447460685429;  // 1 * Phi(1)
            double tanhForm = 0.8411919906082768; // 0.5 (1 + tanh(sqrt(2/pi) * 1.044715))
            assertEquals(exact, Activation.gelu(one).getFloat(0), 1e-6);
            assertEquals(tanhForm, Gelu.tanhApproximation(one).getFloat(0), 1e-6);

            NDArray x = manager.linspace(-6f, 6f, 1201);
            float gap = Activation.gelu(x).sub(Gelu.tanhApproximation(x)).abs().max().getFloat();
            System.out.printf("largest |DJL gelu - tanh GELU| on [-6, 6]: %.2e%n", gap);
            assertTrue(gap > 1e-4 && gap < 1e-3, "gap " + gap);
        }
    }
}
