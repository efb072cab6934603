package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.scratchgpt.UserError;

class SamplingSettingsTest {

    private static final SamplingSettings DEFAULTS = SamplingSettings.DEFAULTS;

    @Test
    void defaultsAreNanoGpts() {
        assertEquals(0.8, DEFAULTS.temperature());
        assertEquals(200, DEFAULTS.topK());
        assertEquals(1.0, DEFAULTS.topP());
        assertEquals(1337, DEFAULTS.seed());
        assertEquals(500, DEFAULTS.maxNewTokens());
        assertFalse(DEFAULTS.hasStopToken());
        assertFalse(DEFAULTS.isGreedy());
        assertTrue(DEFAULTS.withTemperature(0).isGreedy());
    }

    @Test
    void withersChangeOneField() {
        SamplingSettings changed = DEFAULTS.withTopK(5).withTopP(0.9).withSeed(7).withMaxNewTokens(3).withStopToken(2);
        assertEquals(new SamplingSettings(0.8, 5, 0.9, 7, 3, 2), changed);
        assertTrue(changed.hasStopToken());
    }

    @Test
    void rejectsSettingsThatMeanNothing() {
        assertMessage("temperature -0.5 must be a number >= 0", () -> DEFAULTS.withTemperature(-0.5));
        assertMessage("temperature NaN", () -> DEFAULTS.withTemperature(Double.NaN));
        assertMessage("temperature Infinity", () -> DEFAULTS.withTemperature(Double.POSITIVE_INFINITY));
        assertMessage("top-k -1 is negative: use 0 to turn it off", () -> DEFAULTS.withTopK(-1));
        assertMessage("top-p 0.0 is outside (0, 1]: use 1.0 to turn it off", () -> DEFAULTS.withTopP(0));
        assertMessage("top-p 1.5 is outside (0, 1]", () -> DEFAULTS.withTopP(1.5));
        assertMessage("top-p NaN", () -> DEFAULTS.withTopP(Double.NaN));
        assertMessage("max new tokens 0 must be at least 1", () -> DEFAULTS.withMaxNewTokens(0));
        assertMessage("stop token id -2 is negative", () -> DEFAULTS.withStopToken(-2));
    }

    private static void assertMessage(String expected, Executable executable) {
        UserError error = assertThrows(UserError.class, executable);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
