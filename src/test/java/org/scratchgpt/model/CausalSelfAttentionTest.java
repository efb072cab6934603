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
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            CausalSelfAttention attention = withFixedWeights(manager, PositionalEncoding.LEARNED, Compute.REFERENCE);

            NDArray y = forward(attention, manager, create(manager, x, new Shape(1, T, C)), false);

            assertArrayEquals(new long[] {1, T, C}, y.getShape().getShape());
            double error = relativeError(y.toFloatArray(), attentionByHand());
            System.out.printf("CausalSelfAttention vs float64 loops: relative error %.2e%n", error);
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    /**
     * The weights handed out for pictures ({@link CausalSelfAttention#weights}) are the ones the forward pass uses,
     * explicit or fused, with rotary turns or without: times the values and projected (by hand, in doubles), they
     * give the block's output.
     */
    @ParameterizedTest
    @CsvSource({"LEARNED, false", "LEARNED, true", "ROTARY, false", "ROTARY, true"})
    void itsWeightsTimesTheValuesGiveItsOutput(PositionalEncoding positions, boolean fused) {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalSelfAttention attention = withFixedWeights(manager, positions, new Compute(Precision.FP32, fused));
            NDArray input = create(manager, x, new Shape(1, T, C));

            float[] weights = attention.weights(new ParameterStore(manager, false), input).toFloatArray(); // (1, nh, T, T)
            float[] output = forward(attention, manager, input, false).toFloatArray();                  // (1, T, C)

            double error = relativeError(output, projectedByHand(weightsTimesValues(weights)));
            System.out.printf("%s, fused %s: output vs weights x values by hand: relative error %.2e%n", positions,
                    fused, error);
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    private CausalSelfAttention withFixedWeights(NDManager manager, PositionalEncoding positions, Compute compute) {
        GptConfig config = new GptConfig(5, 8, 1, HEADS, C, 0.0, true, positions, true);
        CausalSelfAttention attention = new CausalSelfAttention(config, compute);
        initialize(attention, manager, new Shape(1, T, C));
        ModelTesting.set(parameter(attention, "queryKeyValue_weight"), qkvWeight);
        ModelTesting.set(parameter(attention, "queryKeyValue_bias"), qkvBias);
        ModelTesting.set(parameter(attention, "outputProjection_weight"), outWeight);
        ModelTesting.set(parameter(attention, "outputProjection_bias"), outBias);
        return attention;
    }

    private double[] attentionByHand() {
        double[][] qkv = qkvByHand();
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
        return projectedByHand(merged);
    }

    /** x W^T + b: (T, 3C), queries then keys then values. */
    private double[][] qkvByHand() {
        double[][] qkv = new double[T][3 * C];
        for (int t = 0; t < T; t++) {
            for (int o = 0; o < 3 * C; o++) {
                qkv[t][o] = qkvBias[o];
                for (int i = 0; i < C; i++) {
                    qkv[t][o] += x[t * C + i] * qkvWeight[o * C + i];
                }
            }
        }
        return qkv;
    }

    /** Given weights (1, nh, T, T), each head's weighted sum of the values, heads side by side: (T, C). */
    private double[][] weightsTimesValues(float[] weights) {
        double[][] qkv = qkvByHand();
        double[][] merged = new double[T][C];
        for (int h = 0; h < HEADS; h++) {
            for (int t = 0; t < T; t++) {
                for (int s = 0; s < T; s++) {
                    for (int d = 0; d < HS; d++) {
                        merged[t][h * HS + d] += weights[(h * T + t) * T + s] * qkv[s][2 * C + h * HS + d];
                    }
                }
            }
        }
        return merged;
    }

    /** The output projection: merged (T, C) W^T + b, flattened. */
    private double[] projectedByHand(double[][] merged) {
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
