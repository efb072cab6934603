package org.scratchgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.optim.TrainingSettings;

/** What {@code bench finetune} reports, against counts made by hand. */
class FinetuneBenchTest {
    @TempDir Path dir;

    private static final GptConfig TINY = new GptConfig(32, 8, 2, 2, 16, 0.0, true, PositionalEncoding.LEARNED, true);
    private static final TrainingSettings SETTINGS =
            new TrainingSettings(2, 10, 1e-3, 1e-4, 1, 10, 0.9, 0.99, 0.1, 1.0, 1, 5, 1, 7);

    /**
     * Full fine-tuning trains every parameter, and AdamW holds two float32 numbers for each; a method that freezes
     * the embedding trains the rest, and AdamW holds nothing for the frozen table.
     */
    @Test
    void trainableParametersAndAdamWMomentsAsCountedByHand() throws Exception {
        FinetuneBench.Result full = FinetuneBench.measure(FinetuneBench.Method.full(), TINY, SETTINGS, Compute.REFERENCE,
                Device.cpu(), 1, 1, dir);
        // Hand count for 2 layers of width 16, context 8, vocabulary 32, biases, tied head:
        // token table 32*16 + positions 8*16; per block 2 LayerNorms (2*16 each), qkv 16*48+48, proj 16*16+16,
        // MLP 16*64+64 and 64*16+16; the final LayerNorm 2*16.
        long perBlock = 2 * 2 * 16 + (16 * 48 + 48) + (16 * 16 + 16) + (16 * 64 + 64) + (64 * 16 + 16);
        long expected = 32 * 16 + 8 * 16 + 2 * perBlock + 2 * 16;
        assertEquals(expected, full.parameters());
        assertEquals(expected, full.trainableParameters());
        assertEquals(2 * 4 * expected, full.optimizerBytes(), "m and v, float32, for every parameter");
        assertTrue(full.millisPerStep() > 0);

        FinetuneBench.Method frozenTable = new FinetuneBench.Method("frozen token table", (model, batch) -> {
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                if (p.getValue().getArray().getShape().equals(new ai.djl.ndarray.types.Shape(32, 16))) {
                    p.getValue().freeze(true);
                }
            }
        });
        FinetuneBench.Result partial = FinetuneBench.measure(frozenTable, TINY, SETTINGS, Compute.REFERENCE, Device.cpu(),
                1, 1, dir);
        assertEquals(expected - 32 * 16, partial.trainableParameters());
        assertEquals(2 * 4 * (expected - 32 * 16), partial.optimizerBytes(), "no moments for a frozen parameter");
    }
}
