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
        assertEquals(List.of("baby", "shakespeare-char", "gpt2-124m"), Presets.names());
        assertEquals(new GptConfig(65, 64, 4, 4, 128, 0.0, false, PositionalEncoding.LEARNED, true),
                Presets.model("baby"));
        assertEquals(new GptConfig(65, 256, 6, 6, 384, 0.2, false, PositionalEncoding.LEARNED, true),
                Presets.model("shakespeare-char"));
        assertEquals(new GptConfig(50257, 1024, 12, 12, 768, 0.0, true, PositionalEncoding.LEARNED, true),
                Presets.model("gpt2-124m"));
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        UserError error = assertThrows(UserError.class, () -> Presets.get("gpt2-xl"));
        assertTrue(error.getMessage().contains("unknown preset 'gpt2-xl'"), error.getMessage());
        assertTrue(error.getMessage().contains("baby, shakespeare-char, gpt2-124m"), error.getMessage());
    }
}
