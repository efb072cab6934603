package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.hf.ReferenceGpt2;

/**
 * What a user sees on standard error is ScratchGPT's own lines: libtorch's "AutoNonVariableTypeMode is deprecated",
 * which DJL's {@code set(Buffer)} and {@code copyTo} set off from native code, used to appear in {@code import gpt2},
 * {@code lora merge} and sampling LoRA adapters. libtorch prints it once per process past any Java stream, so each
 * command runs in a JVM of its own and its whole standard error is read.
 */
class NativeWarningsTest {
    private static final String WARNING = "AutoNonVariableTypeMode";

    @TempDir Path dir;

    @Test
    void importMergeAndLoraSamplingPrintNoLibtorchWarning() throws Exception {
        ReferenceGpt2.requireNumpy();
        Path hf = Files.createDirectories(dir.resolve("hf"));
        ReferenceGpt2.make(hf, 23, "--layers", "2", "--heads", "2", "--width", "8", "--context", "16");
        assertQuiet("import", "gpt2", "--from", hf.toString(), "--out", dir.resolve("imported").toString());

        Path base = TinyRun.train(dir, "base", 16, 4, 2);
        Path corpus = TinyRun.otherText(dir);
        CliRun tuned = CliRun.of("finetune", "--from", base.toString(), "--corpus", corpus.toString(), "--out",
                dir.resolve("adapted").toString(), "--lora", "2", "--set", "max_iters=2", "--set", "eval_interval=2",
                "--set", "eval_iters=1", "--device", "cpu", "--quiet");
        assertEquals(0, tuned.exitCode(), tuned.err());
        Path adapter = dir.resolve("adapted").resolve("latest");
        assertQuiet("sample", "--checkpoint", adapter.toString(), "--prompt", "to be", "--max-tokens", "3",
                "--device", "cpu");
        assertQuiet("lora", "merge", "--adapter", adapter.toString(), "--out", dir.resolve("merged").toString());
    }

    /** Runs {@code scratchgpt args} in a JVM of its own: it succeeds, and its standard error has no libtorch warning. */
    private void assertQuiet(String... args) throws Exception {
        ForkedJvm jvm = ForkedJvm.scratchgpt(dir.resolve("logs"), List.of(), args);
        int exitCode = jvm.waitFor();
        String err = jvm.stderr();
        assertEquals(0, exitCode, String.join(" ", args) + ": " + err);
        assertFalse(err.contains(WARNING), String.join(" ", args) + " printed libtorch's warning: " + err);
    }
}
