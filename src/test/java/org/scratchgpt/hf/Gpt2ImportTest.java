package org.scratchgpt.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.GeluForm;
import org.scratchgpt.model.GptConfig;

/**
 * Random GPT-2 folders of several shapes and both published layouts, imported, give the logits of the independent
 * NumPy GPT-2 (src/test/python/gpt2_reference.py) within 1e-4.
 */
class Gpt2ImportTest {

    private static final int[] IDS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};

    @TempDir
    Path dir;

    @BeforeEach
    void numpy() {
        ReferenceGpt2.requireNumpy();
    }

    @ParameterizedTest(name = "{0} layers, {1} heads, {2} wide, vocab {3}, context {4}, {5} {6}")
    @CsvSource({
        "1, 1, 8, 11, 16, original, --buffers",
        "2, 2, 16, 37, 12, save_pretrained, --lm-head",
        "3, 4, 32, 50, 24, save_pretrained, --buffers",
        "2, 3, 24, 29, 11, original, --dtype=BF16",
        "2, 2, 16, 23, 16, original, --dtype=F16",
        "2, 2, 16, 23, 16, save_pretrained, --untied",
        "2, 2, 16, 23, 16, original, --gelu=gelu",
    })
    void importedLogitsMatchTheNumpyReference(int layers, int heads, int width, int vocab, int context, String layout,
            String extra) throws IOException {
        Path folder = dir.resolve("hf");
        ReferenceGpt2.make(folder, vocab, "--layers", "" + layers, "--heads", "" + heads, "--width", "" + width,
                "--context", "" + context, "--layout", layout, "--seed", "" + (layers * 100 + width), extra);
        Gpt2Import.Summary summary = Gpt2Import.run(folder, dir.resolve("run"));

        GptConfig config = Checkpoint.read(dir.resolve("run/best")).model();
        assertEquals(extra.equals("--gelu=gelu") ? GeluForm.EXACT : GeluForm.TANH, config.gelu());
        assertEquals(!extra.equals("--untied"), config.tiedEmbeddings());
        assertEquals(context, config.contextLength());
        double difference = ReferenceGpt2.maxDifference(ReferenceGpt2.scratchLogits(dir.resolve("run/best"), IDS),
                ReferenceGpt2.logits(folder, IDS));
        System.out.printf("import %s %s: %d parameters, max |logit difference| %.2e%n", layout, extra,
                summary.parameters(), difference);
        assertTrue(difference < 1e-4, "max logit difference " + difference);
        // latest/ is the same checkpoint, for train --resume
        assertEquals(0, ReferenceGpt2.maxDifference(ReferenceGpt2.scratchLogits(dir.resolve("run/latest"), IDS),
                toDoubles(ReferenceGpt2.scratchLogits(dir.resolve("run/best"), IDS))));
    }

    private static double[][] toDoubles(float[][] values) {
        double[][] d = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            d[i] = new double[values[i].length];
            for (int j = 0; j < values[i].length; j++) {
                d[i][j] = values[i][j];
            }
        }
        return d;
    }
}
