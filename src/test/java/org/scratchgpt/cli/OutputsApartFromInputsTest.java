package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.io.Sha256;
import picocli.CommandLine;

/**
 * An output never is, holds or lies inside an input of the same command, whatever --force says: through the real
 * command line, for the commands that read a checkpoint or a folder and write another (export hf and djl, lora merge,
 * finetune, import gpt2). The refusal comes before any work, and the input is left as it was.
 */
class OutputsApartFromInputsTest {
    @TempDir static Path dir;
    private static Path checkpoint; // a run's best/, with biases, so that GPT-2 could express it
    private static String weightsSha256;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void trainOne() throws Exception {
        checkpoint = TinyRun.train(dir, "run", 16, 2, 2, "bias=true");
        weightsSha256 = Sha256.of(Checkpoint.parametersFileIn(checkpoint));
    }

    private int run(String... args) {
        err.getBuffer().setLength(0);
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static void assertUntouched() throws Exception {
        assertTrue(Files.isRegularFile(checkpoint.resolve(Checkpoint.CONFIG)), "the checkpoint is still there");
        assertEquals(weightsSha256, Sha256.of(Checkpoint.parametersFileIn(checkpoint)), "its weights are unchanged");
    }

    @Test
    void anExportNeverReplacesOrBuriesTheCheckpointItExportsWhateverForceSays() throws Exception {
        Path runFolder = checkpoint.getParent();
        List<List<String>> overlaps = List.of(
                List.of(checkpoint.toString(), "is --checkpoint"),
                List.of(runFolder.toString(), "holds --checkpoint"),
                List.of(checkpoint.resolve("hf").toString(), "lies inside --checkpoint"),
                List.of(runFolder.resolve("export").toString(), "lies inside the run folder " + runFolder),
                List.of(runFolder.resolve("..").resolve("run").resolve("best").toString(), "is --checkpoint"));
        for (String format : List.of("hf", "djl")) {
            for (List<String> overlap : overlaps) {
                assertOneLineError(run("export", format, "--checkpoint", checkpoint.toString(), "--out",
                        overlap.get(0), "--force"), err.toString(), "--out " + overlap.get(0), overlap.get(1),
                        "give --out a path outside " + runFolder, runFolder + "-" + format);
                assertUntouched();
            }
        }
        assertFalse(Files.exists(checkpoint.resolve("hf")) || Files.exists(runFolder.resolve("export")));
        assertEquals(0, run("export", "hf", "--checkpoint", checkpoint.toString(), "--out",
                dir.resolve("run-hf").toString()), err.toString());
    }

    @Test
    void anExportOfALoraCheckpointSaysToMergeItFirstBeforeJudgingTheBaseConfig() throws Exception {
        Path plain = TinyRun.train(dir, "plain", 16, 2, 2); // no biases: GPT-2 could not express the base
        Path text = TinyRun.otherText(dir);
        assertEquals(0, run("finetune", "--from", plain.toString(), "--corpus", text.toString(), "--out",
                dir.resolve("adapted").toString(), "--lora", "2", "--set", "max_iters=2", "--set", "eval_interval=2",
                "--set", "eval_iters=1", "--quiet"), err.toString());
        Path adapter = dir.resolve("adapted").resolve("best");
        for (String format : List.of("hf", "djl")) {
            assertOneLineError(run("export", format, "--checkpoint", adapter.toString(), "--out",
                    dir.resolve("adapted-" + format).toString()), err.toString(), "holds LoRA adapters",
                    "cannot be exported", "scratchgpt lora merge --adapter " + adapter + " --out DIR");
            assertFalse(Files.exists(dir.resolve("adapted-" + format)));
        }
        Path insideAdapter = adapter.resolve("merged");
        assertOneLineError(run("lora", "merge", "--adapter", adapter.toString(), "--out", insideAdapter.toString()),
                err.toString(), "--out " + insideAdapter + " lies inside --adapter " + adapter);
        Path insideBase = plain.resolve("merged");
        assertOneLineError(run("lora", "merge", "--adapter", adapter.toString(), "--out", insideBase.toString()),
                err.toString(), "--out " + insideBase + " lies inside the base checkpoint");
        assertFalse(Files.exists(insideAdapter) || Files.exists(insideBase));
    }

    @Test
    void aFinetuningRunNeverGoesIntoTheCheckpointItStartsFromOrItsRunFolder() throws Exception {
        Path text = TinyRun.otherText(dir);
        for (Path inside : List.of(checkpoint.resolve("tuned"), checkpoint.getParent().resolve("tuned"))) {
            assertOneLineError(run("finetune", "--from", checkpoint.toString(), "--corpus", text.toString(), "--out",
                    inside.toString(), "--quiet"), err.toString(), "--out " + inside + " lies inside",
                    "give --out a path outside " + checkpoint.getParent());
            assertFalse(Files.exists(inside));
            assertUntouched();
        }
    }

    @Test
    void aTokenizerNeverReplacesTheTextItIsTrainedOnWhateverForceSays() throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), TinyRun.LINE.repeat(5));
        String before = Files.readString(text);
        assertOneLineError(run("tokenizer", "train", "--input", text.toString(), "--output", text.toString(),
                "--vocab-size", "300", "--force", "--quiet"), err.toString(), "--output " + text + " is --input " + text,
                "give --output another file");
        assertEquals(before, Files.readString(text));
    }

    @Test
    void anAttentionPictureNeverReplacesAFileOfTheModelOrRunItDraws() throws Exception {
        Path config = checkpoint.resolve(Checkpoint.CONFIG);
        String before = Files.readString(config);
        assertOneLineError(run("attention", "--checkpoint", checkpoint.toString(), "--text", "to be", "--out",
                config.toString()), err.toString(), "--out " + config + " lies inside --checkpoint " + checkpoint,
                "give --out a new file name, or a path outside");
        Path runFolder = checkpoint.getParent();
        Path metrics = runFolder.resolve("metrics.jsonl");
        assertOneLineError(run("attention", "--run", runFolder.toString(), "--out", metrics.toString()), err.toString(),
                "--out " + metrics + " is the file " + metrics + " of the run", runFolder + "-attention.png");
        Path inLatest = runFolder.resolve("latest").resolve("heads.png");
        assertOneLineError(run("attention", "--checkpoint", checkpoint.toString(), "--text", "to be", "--out",
                inLatest.toString()), err.toString(), "lies inside the folder " + inLatest.getParent() + " of the run");
        assertFalse(Files.exists(inLatest));
        assertEquals(before, Files.readString(config));
        assertTrue(Files.readString(metrics).startsWith("{"), "the metrics are still JSON lines");
    }

    @Test
    void anImportNeverGoesIntoTheFolderItImports() throws Exception {
        Path hf = Files.createDirectories(dir.resolve("hf-download"));
        Path inside = hf.resolve("run");
        assertOneLineError(run("import", "gpt2", "--from", hf.toString(), "--out", inside.toString()), err.toString(),
                "--out " + inside + " lies inside --from " + hf);
        assertFalse(Files.exists(inside));
    }
}
