package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class PresetsTest {

    @Test
    void presetsFollowNanoGpt() {
        assertEquals(List.of("baby", "shakespeare-char", "gpt2-124m", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"),
                Presets.names());
        assertEquals(new GptConfig(65, 64, 4, 4, 128, 0.0, false, PositionalEncoding.LEARNED, true),
                Presets.model("baby"));
        assertEquals(new GptConfig(65, 256, 6, 6, 384, 0.2, false, PositionalEncoding.LEARNED, true),
                Presets.model("shakespeare-char"));
        assertEquals(new GptConfig(50257, 1024, 12, 12, 768, 0.0, true, PositionalEncoding.LEARNED, true),
                Presets.model("gpt2-124m"));
    }

    /** The published GPT-2s: their config.json shapes, tanh GELU, epsilon 1e-5, biases, tied head, 1,024 positions. */
    @Test
    void gpt2FamilyComputesAsPublished() {
        int[][] shapes = {{12, 12, 768}, {24, 16, 1024}, {36, 20, 1280}, {48, 25, 1600}};
        List<String> names = List.of("gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(new GptConfig(50257, 1024, shapes[i][0], shapes[i][1], shapes[i][2], 0.0, true,
                    PositionalEncoding.LEARNED, true, GeluForm.TANH, 1e-5), Presets.model(names.get(i)), names.get(i));
        }
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        UserError error = assertThrows(UserError.class, () -> Presets.get("gpt3"));
        assertTrue(error.getMessage().contains("unknown preset 'gpt3'"), error.getMessage());
        assertTrue(error.getMessage().contains("baby, shakespeare-char, gpt2-124m"), error.getMessage());
    }
}
