package org.scratchgpt.djl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.PositionalEncoding;

/**
 * The exported file is a standard TorchScript archive: PyTorch's own {@code torch.jit.load} (Debian's python3-torch,
 * which CI installs; skipped without it, never failed) loads it with no ScratchGPT and no DJL involved and computes
 * the same logits as ScratchGPT, for learned, sinusoidal and rotary positions.
 */
class TorchJitLoadTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void pytorchLoadsTheExportedFileAndComputesTheSameLogits(PositionalEncoding positions) throws Exception {
        String python = pythonWithTorch().orElse(null);
        assumeTrue(python != null, "no python3 with torch here (Debian: apt-get install python3-torch)");
        Path file = dir.resolve("model.pt");
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = GptModuleFileTest.randomGpt(manager, positions, true, true, "tanh");
            expected = GptModuleFileTest.scratchLogits(gpt, manager);
            GptModuleFile.write(gpt, gpt.config().vocabSize(), file);
        }
        List<String> command = new ArrayList<>(List.of(python, "src/test/python/torchscript_logits.py", file.toString()));
        for (long[] row : GptModuleFileTest.IDS) {
            command.add(Arrays.stream(row).mapToObj(Long::toString).collect(Collectors.joining(" ")));
        }
        List<String> lines = run(command);
        float[] actual = new float[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            actual[i - 1] = Float.parseFloat(lines.get(i));
        }
        GptModuleFileTest.assertClose(expected, actual, 1e-5, "torch " + lines.get(0) + ", " + positions);
    }

    /** The first python3 that imports torch: Debian's (/usr/bin) first, since that is where its python3-torch lives. */
    private static Optional<String> pythonWithTorch() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                Process probe = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(python);
                }
            } catch (java.io.IOException e) {
                // not installed under that name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static List<String> run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("torch.jit.load failed: " + output);
        }
        return output.lines().toList();
    }
}
