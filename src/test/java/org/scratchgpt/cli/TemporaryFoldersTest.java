package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.torchscript.CompileThenHalt;

/**
 * Nothing is left in the temporary directory. Each case runs in a JVM of its own whose {@code java.io.tmpdir} is a
 * fresh folder: the JDK reads that property once per process, so it cannot be changed inside the test's JVM.
 */
class TemporaryFoldersTest {
    /** What our code and DJL's model loading put in the temporary directory: the benchmarks, TorchScript, node. */
    private static final List<String> OURS = List.of("scratchgpt", "pt-model", "hf-train");

    @TempDir Path dir;

    @Test
    void theBenchmarksDeleteTheirWorkFolders() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path text = Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog\n".repeat(50));
        runJava(tmp, ScratchGpt.class.getName(), "bench", "train", "--device", "cpu", "--steps", "1", "--warmup", "0",
                "--set", "n_layer=1", "--set", "n_embd=16", "--set", "n_head=2", "--set", "context_length=8",
                "--set", "batch_size=2");
        runJava(tmp, ScratchGpt.class.getName(), "bench", "tokenizer", "--text", text.toString(), "--runs", "1",
                "--hf-node", dir.resolve("no-node").toString());
        assertNothingOfOursIn(tmp);
    }

    @Test
    void torchScriptLeavesNothingEvenWhenTheProcessIsKilled() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String output = runJava(tmp, CompileThenHalt.class.getName());
        assertTrue(output.contains("computed 2.0"), output);
        assertNothingOfOursIn(tmp);
    }

    private static void assertNothingOfOursIn(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            List<String> ours = names.stream().filter(name -> OURS.stream().anyMatch(name::startsWith)).toList();
            assertEquals(List.of(), ours, "left in the temporary directory (all of it: " + names + ")");
        }
    }

    /** Runs {@code mainClass} in a JVM whose temporary directory is {@code tmp}; returns what it printed. */
    private String runJava(Path tmp, String mainClass, String... args) throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(dir, null, List.of("-Xmx1g", "-Djava.io.tmpdir=" + tmp), mainClass,
                args);
        assertEquals(0, result.exitCode(), result.out() + result.err());
        return result.out() + result.err();
    }
}
