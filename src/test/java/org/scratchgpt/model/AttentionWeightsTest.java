package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.scratchgpt.UserError;

/**
 * The attention weights the model hands out for pictures are the ones it uses: multiplied by the values (computed
 * here by hand, in doubles) and projected, they give the block's own output, explicit or fused; and they are what
 * attention weights must be: rows that sum to 1, nothing above the diagonal.
 */
class AttentionWeightsTest {

    private static final int T = 3;
    private static final int C = 4;
    private static final int HEADS = 2;
    private static final int HS = C / HEADS;

    private final double[] x = fixedValues(T * C, 20);
    private final double[] qkvWeight = fixedValues(3 * C * C, 21); // (3C, C), rows q then k then v
    private final double[] qkvBias = fixedValues(3 * C, 22);
    private final double[] outWeight = fixedValues(C * C, 23);     // (C, C)
    private final double[] outBias = fixedValues(C, 24);

    @ParameterizedTest
    @CsvSource({"LEARNED, false", "LEARNED, true", "ROTARY, false", "ROTARY, true"})
    void weightsTimesValuesReproduceTheAttentionOutput(PositionalEncoding positions, boolean fused) {
        try (NDManager manager = NDManager.newBaseManager()) {
            GptConfig config = new GptConfig(5, 8, 1, HEADS, C, 0.0, true, positions, true);
            CausalSelfAttention attention = new CausalSelfAttention(config, new Compute(Precision.FP32, fused));
            initialize(attention, manager, new Shape(1, T, C));
            ModelTesting.set(parameter(attention, "queryKeyValue_weight"), qkvWeight);
            ModelTesting.set(parameter(attention, "queryKeyValue_bias"), qkvBias);
            ModelTesting.set(parameter(attention, "outputProjection_weight"), outWeight);
            ModelTesting.set(parameter(attention, "outputProjection_bias"), outBias);
            NDArray input = create(manager, x, new Shape(1, T, C));

            float[] weights = attention.weights(new ParameterStore(manager, false), input).toFloatArray(); // (1, nh, T, T)
            float[] output = forward(attention, manager, input, false).toFloatArray();                  // (1, T, C)

            double error = relativeError(output, outputFrom(weights));
            System.out.printf("%s, fused %s: attention output vs weights x values by hand: relative error %.2e%n",
                    positions, fused, error);
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    /** project(weights @ v), with v = x Wv^T + bv and the projection in doubles. */
    private double[] outputFrom(float[] weights) {
        double[][] values = new double[T][C];
        for (int t = 0; t < T; t++) {
            for (int o = 0; o < C; o++) {
                values[t][o] = qkvBias[2 * C + o];
                for (int i = 0; i < C; i++) {
                    values[t][o] += x[t * C + i] * qkvWeight[(2 * C + o) * C + i];
                }
            }
        }
        double[][] merged = new double[T][C];
        for (int h = 0; h < HEADS; h++) {
            for (int t = 0; t < T; t++) {
                for (int s = 0; s < T; s++) {
                    double weight = weights[(h * T + t) * T + s];
                    for (int d = 0; d < HS; d++) {
                        merged[t][h * HS + d] += weight * values[s][h * HS + d];
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

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void everyLayersWeightsAreCausalAndSumToOne(PositionalEncoding positions) {
        GptConfig config = ModelTesting.tiny(positions);
        int time = config.contextLength();
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(config);
            initialize(gpt, manager, new Shape(2, time));
            int[] ids = new int[2 * time];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 7 + 3) % config.vocabSize();
            }
            List<NDArray> perLayer = gpt.attentionWeights(new ParameterStore(manager, false),
                    manager.create(ids, new Shape(2, time)));

            assertEquals(config.layers(), perLayer.size());
            for (NDArray layer : perLayer) {
                assertEquals(new Shape(2, config.heads(), time, time), layer.getShape());
                assertCausalRows(layer.toFloatArray(), time);
            }
        }
    }

    private static void assertCausalRows(float[] weights, int time) {
        for (int row = 0; row < weights.length / time; row++) {
            int query = row % time;
            double sum = 0;
            for (int key = 0; key < time; key++) {
                float weight = weights[row * time + key];
                if (key > query) {
                    assertEquals(0f, weight, "a weight above the diagonal: query " + query + " reads key " + key);
                }
                assertTrue(weight >= 0, "negative weight " + weight);
                sum += weight;
            }
            assertEquals(1.0, sum, 1e-5, "row " + row + " sums to " + sum);
        }
    }

    @Test
    void theMapsOfATextHoldEveryHeadAndRefuseATextLongerThanTheContext() {
        GptConfig config = ModelTesting.tiny(PositionalEncoding.LEARNED);
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(config);
            initialize(gpt, manager, new Shape(1, config.contextLength()));
            AttentionMaps maps = AttentionMaps.measure(gpt, manager, new int[] {1, 2, 3}, List.of("a", "b", "c"));

            assertEquals(config.layers(), maps.layers());
            assertEquals(config.heads(), maps.heads());
            assertEquals(3, maps.head(1, 1).length);
            assertEquals(1f, maps.head(0, 0)[0][0]); // the first token can only read itself
            UserError tooLong = assertThrows(UserError.class, () -> AttentionMaps.measure(gpt, manager,
                    new int[config.contextLength() + 1], java.util.Collections.nCopies(config.contextLength() + 1, "x")));
            assertTrue(tooLong.getMessage().contains("context_length"), tooLong.getMessage());
        }
    }
}
