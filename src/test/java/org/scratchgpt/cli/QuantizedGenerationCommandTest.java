package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sample --quantize int8} and 16-bit weights converted once, through the real command line. */
class QuantizedGenerationCommandTest {

    @TempDir static Path dir;
    private static Path checkpoint;

    @BeforeAll
    static void trainATinyModel() throws Exception {
        checkpoint = TinyRun.train(dir, "run", 32, 4, 2);
    }

    /** Every weight format samples the asked number of characters, with and without the KV cache. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--quantize int8", "--quantize int8 --precision bf16", "--precision bf16",
        "--quantize int8 --no-kv-cache", "--quantize int8 --attention explicit"})
    void samplesInEveryWeightFormat(String options) {
        String[] args = ("sample --checkpoint " + checkpoint + " --prompt to --max-tokens 12 " + options).split(" ");
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("to".length() + 12, run.out().strip().length(), run.out());
    }

    /** Greedy text from the int8 model is the float32 model's: a tiny model's logits are far apart. */
    @Test
    void greedyInt8TextIsTheFloat32Text() {
        String common = "sample --checkpoint " + checkpoint + " --prompt to --max-tokens 30 --temperature 0";
        CliRun float32 = CliRun.of(common.split(" "));
        CliRun int8 = CliRun.of((common + " --quantize int8").split(" "));
        assertEquals(0, int8.exitCode(), int8.err());
        assertEquals(float32.out(), int8.out());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sample", "chat"})
    void anUnknownQuantizationIsOneLineBeforeTheCheckpointIsRead(String command) {
        CliRun run = CliRun.of(command, "--checkpoint", dir.resolve("missing").toString(), "--quantize", "int4");
        CliAssertions.assertOneLineError(run.exitCode(), run.err(), "unknown --quantize 'int4': use int8",
                "or leave --quantize out");
    }

    @Test
    void benchGenerateNamesItsWeightsAndTheirBytes() {
        CliRun run = CliRun.of("bench", "generate", "--device", "cpu", "--models", "baby", "--lengths", "3",
                "--prompt-tokens", "2", "--uncached-up-to", "0", "--quantize", "int8", "--precision", "bf16");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("; bf16, fused attention; int8 weights"), run.out());
        assertTrue(run.out().contains("| baby | 2 + 3 | not run |"), run.out());
    }

    /** bench quantize: one row per weight format, each with its held-out loss, close to float32's on a tiny model. */
    @Test
    void benchQuantizeMeasuresTheHeldOutLossOfEveryFormat() {
        CliRun run = CliRun.of("bench", "quantize", "--checkpoint", checkpoint.toString(), "--corpus",
                dir.resolve("corpus.txt").toString(), "--batches", "2", "--batch-size", "2", "--new-tokens", "3",
                "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        String[] rows = run.out().lines().filter(line -> line.matches("\\| (fp32|bf16|int8) \\|.*")).toArray(String[]::new);
        assertEquals(4, rows.length, run.out());
        assertTrue(rows[0].startsWith("| fp32 | fp32 | ") && rows[0].contains("| +0.000% |"), rows[0]);
        assertTrue(rows[1].startsWith("| bf16 | bf16 | "), rows[1]);
        assertTrue(rows[2].startsWith("| int8 | fp32 | "), rows[2]);
        assertTrue(rows[3].startsWith("| int8 | bf16 | "), rows[3]);
        for (String row : rows) {
            double change = Double.parseDouble(row.split("\\|")[4].strip().replace("%", ""));
            assertTrue(Math.abs(change) < 5, "a converted model's held-out loss is near float32's: " + row);
        }
    }

    @Test
    void benchQuantizeTakesOneSourceOfHeldOutText() {
        CliRun run = CliRun.of("bench", "quantize", "--checkpoint", checkpoint.toString(), "--corpus", "a.txt",
                "--dataset", "b");
        CliAssertions.assertOneLineError(run.exitCode(), run.err(), "--corpus and --dataset both name the held-out text");
    }
}
