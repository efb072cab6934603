package org.scratchgpt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.training.TrainingTesting;

class WeightDecayRuleTest {

    /**
     * The shape rule and the model's own labels agree: everything the GPT calls a WEIGHT (embeddings, Linear
     * weights) is a matrix and decays; every bias and layer-norm gain or shift is a vector and does not.
     */
    @Test
    void decaysExactlyTheGptsWeightMatrices() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(TrainingTesting.tinyGpt().withOverrides(Map.of("tied_embeddings", "false")));
            gpt.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            int decayed = 0;
            int kept = 0;
            for (Pair<String, Parameter> named : gpt.getParameters()) {
                Parameter parameter = named.getValue();
                boolean isWeight = parameter.getType() == Parameter.Type.WEIGHT;
                assertEquals(isWeight, WeightDecayRule.appliesTo(parameter.getShape()),
                        named.getKey() + " " + parameter.getType() + " " + parameter.getShape());
                if (isWeight) {
                    decayed++;
                } else {
                    kept++;
                }
            }
            // token + position embeddings, 4 Linears per layer x 2 layers, the untied head
            assertEquals(2 + 4 * 2 + 1, decayed);
            // per layer: 2 layer norms x (gain, shift) + 4 Linear biases; then the final norm's gain and shift
            assertEquals(2 * (4 + 4) + 2, kept);
        }
    }

    @Test
    void decidesByNumberOfDimensions() {
        assertFalse(WeightDecayRule.appliesTo(new Shape()));
        assertFalse(WeightDecayRule.appliesTo(new Shape(768)));
        assertTrue(WeightDecayRule.appliesTo(new Shape(50257, 768)));
        assertTrue(WeightDecayRule.appliesTo(new Shape(2, 3, 4)));
    }
}
