package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.create;
import static org.scratchgpt.model.ModelTesting.fixedValues;
import static org.scratchgpt.model.ModelTesting.forward;
import static org.scratchgpt.model.ModelTesting.initialize;
import static org.scratchgpt.model.ModelTesting.parameter;
import static org.scratchgpt.model.ModelTesting.relativeError;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Attention on B=1, T=3, C=4, 2 heads of 2 channels, with fixed weights, against plain Java loops in doubles. */
class CausalSelfAttentionTest {

    private static final int T = 3;
    private static final int C = 4;
    private static final int HEADS = 2;
    private static final int HS = C / HEADS;

    private final double[] x = fixedValues(T * C, 10);
    private final double[] qkvWeight = fixedValues(3 * C * C, 11); // (3C, C), rows q then k then v
    private final double[] qkvBias = fixedValues(3 * C, 12);
    private final double[] outWeight = fixedValues(C * C, 13);     // (C, C)
    private final double[] outBias = fixedValues(C, 14);

    @Test
    void matchesAttentionComputedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GptConfig config = new GptConfig(5, 8, 1, HEADS, C, 0.0, true, PositionalEncoding.LEARNED, true);
            CausalSelfAttention attention = new CausalSelfAttention(config);
            initialize(attention, manager, new Shape(1, T, C));
            ModelTesting.set(parameter(attention, "queryKeyValue_weight"), qkvWeight);
            ModelTesting.set(parameter(attention, "queryKeyValue_bias"), qkvBias);
            ModelTesting.set(parameter(attention, "outputProjection_weight"), outWeight);
            ModelTesting.set(parameter(attention, "outputProjection_bias"), outBias);

            NDArray y = forward(attention, manager, create(manager, x, new Shape(1, T, C)), false);

            assertArrayEquals(new long[] {1, T, C}, y.getShape().getShape());
            double error = relativeError(y.toFloatArray(), attentionByHand());
            System.out.printf("CausalSelfAttention vs float64 loops: relative error %.2e%n", error);
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    private double[] attentionByHand() {
        double[][] qkv = new double[T][3 * C]; // x W^T + b
        for (int t = 0; t < T; t++) {
            for (int o = 0; o < 3 * C; o++) {
                qkv[t][o] = qkvBias[o];
                for (int i = 0; i < C; i++) {
                    qkv[t][o] += x[t * C + i] * qkvWeight[o * C + i];
                }
            }
        }
        double[][] merged = new double[T][C];
        for (int h = 0; h < HEADS; h++) {
            for (int t = 0; t < T; t++) {
                double[] weights = new double[t + 1]; // only positions 0..t: the causal mask
                double total = 0;
                for (int s = 0; s <= t; s++) {
                    double score = 0;
                    for (int d = 0; d < HS; d++) {
                        score += qkv[t][h * HS + d] * qkv[s][C + h * HS + d];
                    }
                    weights[s] = Math.exp(score / Math.sqrt(HS));
                    total += weights[s];
                }
                for (int d = 0; d < HS; d++) {
                    for (int s = 0; s <= t; s++) {
                        merged[t][h * HS + d] += weights[s] / total * qkv[s][2 * C + h * HS + d];
                    }
                }
            }
        }
        double[] y = new double[T * C];
        for (int t = 0; t < T; t++) {
            for (int o = 0; o < C; o++) {
                y[t * C + o] = outBias[o];
                for (int i = 0; i < C; i++) {
                    y[t * C + o] += merged[t][i] * outWeight[o * C + i];
                }
            }
        }
        return y;
    }
}
