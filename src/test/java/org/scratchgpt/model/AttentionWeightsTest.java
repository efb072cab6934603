package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.initialize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scratchgpt.UserError;

/**
 * The attention weights the whole model hands out for pictures are what attention weights must be, in every layer:
 * rows that sum to 1, nothing above the diagonal. (That they are the weights the forward pass uses is checked per
 * block in {@link CausalSelfAttentionTest}.)
 */
class AttentionWeightsTest {

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
