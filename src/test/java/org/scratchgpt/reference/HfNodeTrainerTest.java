package org.scratchgpt.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.reference.HfNodeTrainer.PreTokenizer;

class HfNodeTrainerTest {

    @TempDir Path dir;

    /**
     * "zq" occurs 90 times, " zq" (Ġzq once byte-level) 60 times and every other pair at most
     * 30 times, so the first two merges are forced: no tie-breaking rule is involved.
     */
    @Test
    void firstMergesAreTheMostFrequentPairs() throws Exception {
        String text = "zq zq zq\n".repeat(30) + "hello world\n".repeat(5);

        HfTrainingResult result = HfNodeTrainer.locate().trainOnText(PreTokenizer.GPT2, text, dir);

        assertArrayEquals(new String[] {"z", "q"}, result.merges().get(0));
        assertArrayEquals(new String[] {"Ġ", "zq"}, result.merges().get(1));
        assertTrue(result.trainMillis() > 0);
        assertTrue(Files.isRegularFile(result.tokenizerJson()));
    }

    @Test
    void vocabularyIsTheSeenBytesPlusOneTokenPerMerge() throws Exception {
        String text = "low lower lowest\nnewer newest wider\n";

        HfTrainingResult result = HfNodeTrainer.locate().trainOnText(PreTokenizer.GPT2, text, dir);

        // Only bytes that occur form the alphabet: here 12: d e i l n o r s t w, Ġ and Ċ.
        long singleBytes = result.vocab().keySet().stream().filter(token -> token.length() == 1).count();
        assertEquals(12, singleBytes);
        for (String[] merge : result.merges()) {
            assertTrue(result.vocab().containsKey(merge[0] + merge[1]), () -> String.join("+", merge));
        }
        assertEquals(singleBytes + result.merges().size(), result.vocab().size());
    }

    /** GPT-4's pattern splits digit runs into groups of at most three; GPT-2's keeps them whole. */
    @Test
    void preTokenizerChoiceReachesTheTrainer() throws Exception {
        String text = "12345 12345\n".repeat(10);
        HfNodeTrainer trainer = HfNodeTrainer.locate();

        HfTrainingResult gpt2 = trainer.trainOnText(PreTokenizer.GPT2, text, Files.createDirectory(dir.resolve("gpt2")));
        HfTrainingResult gpt4 = trainer.trainOnText(PreTokenizer.GPT4, text, Files.createDirectory(dir.resolve("gpt4")));

        assertTrue(gpt2.vocab().containsKey("Ġ12345"));
        assertFalse(gpt4.vocab().containsKey("12345"));
        assertTrue(gpt4.vocab().containsKey("123"));
    }
}
