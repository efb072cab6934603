package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class GptConfigTest {

    private static final GptConfig BABY = Presets.model("baby");

    @Test
    void jsonRoundTripKeepsEveryField() {
        GptConfig config = new GptConfig(97, 32, 3, 2, 64, 0.125, true, PositionalEncoding.ROTARY, false);
        assertEquals(config, GptConfig.fromJson(config.toJson()));
        for (String name : Presets.names()) {
            assertEquals(Presets.model(name), GptConfig.fromJson(Presets.model(name).toJson()));
        }
    }

    @Test
    void newFieldsRoundTripAndOlderConfigsKeepTheOldBehaviour() {
        GptConfig gpt2 = new GptConfig(97, 32, 3, 2, 64, 0.0, true, PositionalEncoding.LEARNED, true, GeluForm.TANH, 1e-6);
        assertEquals(gpt2, GptConfig.fromJson(gpt2.toJson()));
        assertTrue(gpt2.toJson().contains("\"gelu\": \"tanh\""), gpt2.toJson());
        // A config written before the two fields existed: exact GELU and epsilon 1e-5, as those models computed.
        String older = BABY.toJson().replaceAll(",\\s*\"gelu\": \"exact\"", "")
                .replaceAll(",\\s*\"layer_norm_epsilon\": [0-9.Ee-]+", "");
        assertTrue(!older.contains("gelu") && !older.contains("epsilon"), older);
        GptConfig read = GptConfig.fromJson(older);
        assertEquals(BABY, read);
        assertEquals(GeluForm.EXACT, read.gelu());
        assertEquals(1e-5, read.layerNormEpsilon());
        assertMessage("layer_norm_epsilon must be positive", () -> BABY.withOverrides(Map.of("layer_norm_epsilon", "0")));
        assertMessage("unknown gelu 'fast'", () -> BABY.withOverrides(Map.of("gelu", "fast")));
    }

    @Test
    void jsonUsesNanoGptFieldNames() {
        String json = BABY.toJson();
        for (String field : GptConfig.FIELD_NAMES) {
            assertTrue(json.contains("\"" + field + "\""), json);
        }
        assertTrue(json.contains("\"positional_encoding\": \"learned\""), json);
    }

    @Test
    void unknownJsonFieldIsNamed() {
        String json = BABY.toJson().replace("\"n_head\"", "\"n_heads\"");
        UserError error = assertThrows(UserError.class, () -> GptConfig.fromJson(json));
        assertTrue(error.getMessage().contains("'n_heads'"), error.getMessage());
        assertTrue(error.getMessage().contains("n_head,"), error.getMessage());
    }

    @Test
    void missingJsonFieldIsNamed() {
        UserError error = assertThrows(UserError.class, () -> GptConfig.fromJson("{\"n_layer\": 2}"));
        assertTrue(error.getMessage().contains("lacks vocab_size, context_length, n_head"), error.getMessage());
    }

    @Test
    void badJsonValuesAreExplained() {
        assertMessage("n_layer must be a whole number, got 'four'",
                () -> GptConfig.fromJson(BABY.toJson().replace("\"n_layer\": 4", "\"n_layer\": \"four\"")));
        assertMessage("not valid JSON", () -> GptConfig.fromJson("{\"n_layer\": "));
        assertMessage("must be a JSON object", () -> GptConfig.fromJson("[1, 2]"));
    }

    @Test
    void widthMustDivideByHeads() {
        assertEquals(32, BABY.withOverrides(Map.of("n_embd", "128", "n_head", "4")).headSize());
        assertEquals(26, BABY.withOverrides(Map.of("n_embd", "130", "n_head", "5")).headSize());
        UserError error = assertThrows(UserError.class,
                () -> BABY.withOverrides(Map.of("n_embd", "128", "n_head", "5")));
        assertTrue(error.getMessage().contains("n_embd 128 is not divisible by n_head 5"), error.getMessage());
        assertTrue(error.getMessage().contains("use n_head 1, 2, 4, 8, 16, 32, 64, 128"), error.getMessage());
        assertMessage("n_embd 130 is not divisible by n_head 4",
                () -> BABY.withOverrides(Map.of("n_embd", "130", "n_head", "4")));
    }

    @Test
    void sizesMustBePositiveAndDropoutBelowOne() {
        assertMessage("n_layer must be at least 1, got 0", () -> BABY.withOverrides(Map.of("n_layer", "0")));
        assertMessage("vocab_size must be at least 1, got -3", () -> BABY.withOverrides(Map.of("vocab_size", "-3")));
        assertMessage("dropout 1.0 is outside [0, 1)", () -> BABY.withOverrides(Map.of("dropout", "1")));
        assertMessage("dropout -0.1 is outside [0, 1)", () -> BABY.withOverrides(Map.of("dropout", "-0.1")));
        // NaN written as text is refused by the parser (as not finite); one made in code, by validate.
        assertMessage("dropout must be a finite number such as 0.1, got 'NaN'",
                () -> BABY.withOverrides(Map.of("dropout", "NaN")));
        assertMessage("dropout NaN is outside [0, 1)", () -> new GptConfig(65, 64, 4, 4, 128, Double.NaN, false,
                PositionalEncoding.LEARNED, true).validate());
    }

    @Test
    void numbersAreRefusedWhenTooLargeForTheFieldOrNotFinite() {
        assertMessage("n_layer 99999999999 is too large: at most 2147483647",
                () -> BABY.withOverrides(Map.of("n_layer", "99999999999")));
        assertMessage("n_embd -99999999999 is too small: at least -2147483648",
                () -> BABY.withOverrides(Map.of("n_embd", "-99999999999")));
        assertMessage("n_head must be a whole number, got '2.5'", () -> BABY.withOverrides(Map.of("n_head", "2.5")));
        assertMessage("dropout must be a finite number such as 0.1, got 'Infinity'",
                () -> BABY.withOverrides(Map.of("dropout", "Infinity")));
        assertMessage("n_layer must be at least 1, got 0", () -> BABY.withOverrides(Map.of("n_layer", "0")));
    }

    @Test
    void overridesReplaceOnlyTheNamedFields() {
        GptConfig changed = BABY.withOverrides(Map.of("n_layer", "2", "dropout", "0.1", "bias", "TRUE",
                "positional_encoding", "Rotary", "tied_embeddings", "false"));
        assertEquals(new GptConfig(65, 64, 2, 4, 128, 0.1, true, PositionalEncoding.ROTARY, false), changed);
    }

    @Test
    void unknownOverrideListsTheValidNames() {
        UserError error = assertThrows(UserError.class, () -> BABY.withOverrides(Map.of("layers", "2")));
        assertTrue(error.getMessage().contains("unknown override 'layers'"), error.getMessage());
        assertTrue(error.getMessage().contains(String.join(", ", GptConfig.FIELD_NAMES)), error.getMessage());
    }

    @Test
    void overrideValuesAreParsedStrictly() {
        assertMessage("bias must be true or false, got 'yes'", () -> BABY.withOverrides(Map.of("bias", "yes")));
        assertMessage("unknown positional_encoding 'alibi': use one of learned, sinusoidal, rotary",
                () -> BABY.withOverrides(Map.of("positional_encoding", "alibi")));
        assertMessage("dropout must be a number", () -> BABY.withOverrides(Map.of("dropout", "a lot")));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        UserError error = assertThrows(UserError.class, action);
        assertTrue(error.getMessage().contains(expected), "message was: " + error.getMessage());
    }
}
