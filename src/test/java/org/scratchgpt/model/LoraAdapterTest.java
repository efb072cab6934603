package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;
import org.scratchgpt.lora.LoraAdapter;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.lora.LoraTarget;

/** The LoRA update on its own, against the formula computed by hand in float64. */
class LoraAdapterTest {

    private static final int BATCH = 3;
    private static final int IN = 5;
    private static final int OUT = 4;
    private static final int RANK = 2;
    private static final double ALPHA = 3; // scale alpha / r = 1.5

    @Test
    void outputAndGradientsOfAAndBMatchAFloat64Reference() {
        double[] a = ModelTesting.fixedValues(RANK * IN, 1);   // (r, in)
        double[] b = ModelTesting.fixedValues(OUT * RANK, 2);  // (out, r): nonzero, as after some training
        double[] x = ModelTesting.fixedValues(BATCH * IN, 3);  // (N, in)
        double[] w = ModelTesting.fixedValues(BATCH * OUT, 4); // (N, out): loss = sum(y * w), so dL/dy = w
        try (NDManager manager = NDManager.newBaseManager()) {
            LoraAdapter adapter = adapter(manager);
            ModelTesting.set(adapter.matrices().get(0), a);
            ModelTesting.set(adapter.matrices().get(1), b);
            NDArray input = ModelTesting.create(manager, x, new Shape(BATCH, IN));
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = ModelTesting.forward(adapter, manager, input, true);          // (N, out)
                y = out.toFloatArray();
                collector.backward(out.mul(ModelTesting.create(manager, w, new Shape(BATCH, OUT))).sum());
            }
            Reference ref = new Reference(a, b, x, w, ALPHA / RANK);
            assertEquals(0, ModelTesting.relativeError(y, ref.y()), 1e-6, "y");
            float[] gradA = adapter.matrices().get(0).getArray().getGradient().toFloatArray();
            float[] gradB = adapter.matrices().get(1).getArray().getGradient().toFloatArray();
            assertEquals(0, ModelTesting.relativeError(gradA, ref.gradA()), 1e-6, "dL/dA");
            assertEquals(0, ModelTesting.relativeError(gradB, ref.gradB()), 1e-6, "dL/dB");
        }
    }

    @Test
    void startsAsZeroWithBZeroAndAUniformWithinOneOverSqrtIn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LoraAdapter adapter = adapter(manager);
            float[] a = adapter.matrices().get(0).getArray().toFloatArray();
            double bound = 1 / Math.sqrt(IN);
            double largest = 0;
            for (float value : a) {
                largest = Math.max(largest, Math.abs(value));
            }
            assertEquals(true, largest > 0 && largest <= bound, "A's largest |value| " + largest);
            for (float value : adapter.matrices().get(1).getArray().toFloatArray()) {
                assertEquals(0f, value);
            }
            NDArray input = manager.randomNormal(new Shape(BATCH, IN));
            for (float value : ModelTesting.forward(adapter, manager, input, true).toFloatArray()) {
                assertEquals(0f, value);
            }
        }
    }

    @Test
    void badSettingsAreUserErrors() {
        assertThrows(UserError.class, () -> LoraSettings.ofRank(0));
        assertThrows(UserError.class, () -> new LoraSettings(4, -1, 0, LoraSettings.DEFAULT_TARGETS));
        assertThrows(UserError.class, () -> new LoraSettings(4, 4, 1, LoraSettings.DEFAULT_TARGETS));
        assertThrows(UserError.class, () -> new LoraSettings(4, 4, Double.NaN, LoraSettings.DEFAULT_TARGETS));
        assertThrows(UserError.class, () -> new LoraSettings(4, 4, 0, Set.of()));
        assertThrows(UserError.class, () -> LoraSettings.parseTargets("qkv,attn"));
        assertEquals(Set.of(LoraTarget.QKV, LoraTarget.MLP, LoraTarget.HEAD), LoraSettings.parseTargets("qkv, MLP,head"));
    }

    private static LoraAdapter adapter(NDManager manager) {
        Engine.getInstance().setRandomSeed(7);
        LoraSettings settings = new LoraSettings(RANK, ALPHA, 0, Set.of(LoraTarget.QKV));
        LoraAdapter adapter = LoraAdapter.beside(Linear.builder().setUnits(OUT).build(), LoraTarget.QKV, OUT, settings,
                Compute.REFERENCE);
        ModelTesting.initialize(adapter, manager, new Shape(BATCH, IN));
        return adapter;
    }

    /**
     * y = s B A x per row; with g = dL/dy = w: dL/dB = s Σ_n g_n (A x_n)^T and dL/dA = s Σ_n (B^T g_n) x_n^T,
     * written as loops in float64.
     */
    private record Reference(double[] a, double[] b, double[] x, double[] w, double s) {
        double[] low(int n) {                       // A x_n, (r)
            double[] h = new double[RANK];
            for (int r = 0; r < RANK; r++) {
                for (int i = 0; i < IN; i++) {
                    h[r] += a[r * IN + i] * x[n * IN + i];
                }
            }
            return h;
        }

        double[] y() {
            double[] y = new double[BATCH * OUT];
            for (int n = 0; n < BATCH; n++) {
                double[] h = low(n);
                for (int o = 0; o < OUT; o++) {
                    for (int r = 0; r < RANK; r++) {
                        y[n * OUT + o] += s * b[o * RANK + r] * h[r];
                    }
                }
            }
            return y;
        }

        double[] gradB() {
            double[] g = new double[OUT * RANK];
            for (int n = 0; n < BATCH; n++) {
                double[] h = low(n);
                for (int o = 0; o < OUT; o++) {
                    for (int r = 0; r < RANK; r++) {
                        g[o * RANK + r] += s * w[n * OUT + o] * h[r];
                    }
                }
            }
            return g;
        }

        double[] gradA() {
            double[] g = new double[RANK * IN];
            for (int n = 0; n < BATCH; n++) {
                for (int r = 0; r < RANK; r++) {
                    double back = 0;                // (B^T g_n)_r
                    for (int o = 0; o < OUT; o++) {
                        back += b[o * RANK + r] * w[n * OUT + o];
                    }
                    for (int i = 0; i < IN; i++) {
                        g[r * IN + i] += s * back * x[n * IN + i];
                    }
                }
            }
            return g;
        }
    }
}
