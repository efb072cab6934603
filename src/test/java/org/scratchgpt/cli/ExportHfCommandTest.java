package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchgpt.hf.ReferenceGpt2;
import picocli.CommandLine;

/**
 * {@code scratchgpt export hf} through the real command line: a model trained here exports and the NumPy GPT-2
 * computes its logits, with or without biases, with learned or sinusoidal positions; rotary positions, which GPT-2's
 * layout cannot express, are refused by field; an existing --out needs --force.
 */
class ExportHfCommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** A tiny run of the baby preset with {@code settings}, into {@code dir/name}; returns its best checkpoint. */
    private Path train(String name, String... settings) throws Exception {
        return TinyRun.train(dir, name, 16, 4, 2, settings);
    }

    @Test
    void aModelTrainedHereExportsAndTheReferenceComputesItsLogits() throws Exception {
        ReferenceGpt2.requireNumpy();
        Path checkpoint = train("run", "bias=true", "gelu=tanh");
        Path exported = dir.resolve("hf");
        assertEquals(0, run("export", "hf", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString());
        assertTrue(out.toString().contains("as a HuggingFace GPT-2 (28 tensors)"), out.toString());
        int[] ids = {5, 3, 9, 1, 0, 7, 2, 2, 4, 11, 6, 8, 10, 3, 1, 0};
        double difference = ReferenceGpt2.maxDifference(ReferenceGpt2.scratchLogits(checkpoint, ids),
                ReferenceGpt2.logits(exported, ids));
        System.out.printf("trained here, exported: max |logit difference| vs NumPy GPT-2 %.2e%n", difference);
        assertTrue(difference < 1e-4, "max logit difference " + difference);

        err.getBuffer().setLength(0);
        assertOneLineError(run("export", "hf", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString(), exported + " already exists", "--force");
        out.getBuffer().setLength(0);
        assertEquals(0, run("export", "hf", "--checkpoint", checkpoint.toString(), "--out", exported.toString(),
                "--force"), err.toString());
        assertTrue(Files.isRegularFile(exported.resolve("model.safetensors")));
    }

    /**
     * The models the README trains have no biases (the baby and shakespeare-char presets, as nanoGPT's default):
     * GPT-2's layout has them, and zeros are exactly no bias, so they export, say so, and compute the same logits.
     * Sinusoidal positions are a fixed table added to the embeddings: written as wpe, the same.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "bias=false | bias is false: GPT-2's biases are written as zeros",
        "positional_encoding=sinusoidal | positional_encoding is sinusoidal: its fixed table is written as GPT-2's"
                + " position table (wpe)",
    })
    void modelsWithoutBiasesOrWithSinusoidalPositionsExportWithTheSameLogits(String setting, String note)
            throws Exception {
        ReferenceGpt2.requireNumpy();
        Path checkpoint = train("run", setting);               // the baby preset: bias=false unless set otherwise
        Path exported = dir.resolve("hf");
        assertEquals(0, run("export", "hf", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString());
        assertTrue(out.toString().contains(note), out.toString());
        assertTrue(out.toString().contains("as a HuggingFace GPT-2 (28 tensors)"), out.toString());
        int[] ids = {5, 3, 9, 1, 0, 7, 2, 2, 4, 11, 6, 8, 10, 3, 1, 0};
        double difference = ReferenceGpt2.maxDifference(ReferenceGpt2.scratchLogits(checkpoint, ids),
                ReferenceGpt2.logits(exported, ids));
        System.out.printf("%s, exported: max |logit difference| vs NumPy GPT-2 %.2e%n", setting, difference);
        assertTrue(difference < 1e-4, "max logit difference " + difference);
    }

    @Test
    void rotaryPositionsGpt2CannotExpressAreRefusedByField() throws Exception {
        Path rotary = train("rotary", "positional_encoding=rotary");
        err.getBuffer().setLength(0);
        assertOneLineError(run("export", "hf", "--checkpoint", rotary.toString(), "--out", dir.resolve("b").toString()),
                err.toString(), "cannot export", "positional_encoding is rotary", "GPT-2's layout (a position table"
                + " added to the embeddings, wpe) cannot express", "`export djl` writes any model");
        assertFalse(Files.exists(dir.resolve("b")));
    }
}
