package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.initialize;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** GPT-2's initialisation really reaches every parameter of a width-256, 4-layer model. */
class Gpt2InitTest {

    private static final int LAYERS = 4;
    private static final double RESIDUAL_STD = 0.02 / Math.sqrt(2 * LAYERS); // 0.00707

    @Test
    void weightsBiasesAndGainsStartAsGpt2s() {
        GptConfig config = new GptConfig(64, 16, LAYERS, 4, 256, 0.0, true, PositionalEncoding.LEARNED, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Gpt gpt = new Gpt(config);
            initialize(gpt, manager, new Shape(1, 16));
            int checked = 0;
            for (Pair<String, Parameter> named : gpt.getParameters()) {
                String name = named.getKey();
                NDArray values = named.getValue().getArray();
                if (name.endsWith("Norm_weight")) {
                    assertEquals(1f, values.min().getFloat(), name);
                    assertEquals(1f, values.max().getFloat(), name);
                } else if (name.endsWith("_bias")) {
                    assertEquals(0f, values.abs().max().getFloat(), name);
                } else {
                    boolean residual = name.endsWith("outputProjection_weight") || name.endsWith("narrow_weight");
                    assertStd(values, residual ? RESIDUAL_STD : 0.02, name);
                }
                checked++;
            }
            // Token and position tables, final norm weight and bias, head; 12 per layer (4 Linears, 2 norms, each with a bias).
            assertEquals(5 + 12 * LAYERS, checked, "parameters checked");
        }
    }

    private static void assertStd(NDArray values, double target, String name) {
        double mean = values.mean().getFloat();
        double std = Math.sqrt(values.sub(mean).square().mean().getFloat());
        System.out.printf("%-45s std %.5f, target %.5f (%+.1f%%)%n", name, std, target, 100 * (std / target - 1));
        assertTrue(Math.abs(std / target - 1) < 0.10, name + ": std " + std + ", target " + target);
        assertTrue(Math.abs(mean) < target / 10, name + ": mean " + mean);
    }
}
