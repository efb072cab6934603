package org.scratchgpt.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;

/**
 * The peer: the same GPT and training step in PyTorch eager mode ({@code src/test/python/torch_eager_gpt.py}),
 * run with the machine's python3 and torch (on Debian: {@code apt-get install python3-torch}), as many threads as
 * cores, timed by the script itself so that Python's start-up is not counted.
 */
public final class TorchEager {
    private TorchEager() {}

    public record Result(String version, int threads, double millisPerStep, double tokensPerSecond) {}

    /** The first of these interpreters that can import torch ({@code python3} may be a virtualenv's without it). */
    static String findPython() throws IOException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new UserError("--vs-torch needs python3 with torch: on Debian, apt-get install python3-torch"
                + " (and libopenblas0-pthread for a fast BLAS)");
    }

    public static Result run(GptConfig model, TrainingSettings training, int warmup, int steps) throws IOException {
        Path script = Path.of("src/test/python/torch_eager_gpt.py");
        if (!Files.isRegularFile(script)) {
            throw new UserError("--vs-torch needs " + script + ": run the benchmark from the project folder");
        }
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> command = new ArrayList<>(List.of(findPython(), script.toString(),
                "--layers", "" + model.layers(), "--heads", "" + model.heads(), "--width", "" + model.embeddingWidth(),
                "--context", "" + model.contextLength(), "--vocab", "" + model.vocabSize(),
                "--batch", "" + training.batchSize() * training.accumulationSteps(), "--steps", "" + steps,
                "--warmup", "" + warmup, "--threads", "" + threads, "--dropout", "" + model.dropout()));
        if (model.bias()) {
            command.add("--bias");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "" + threads);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (process.waitFor() != 0) {
                throw new UserError("the PyTorch peer failed (is python3-torch installed?): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String[] lines = output.split("\n");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        return new Result(json.get("torch").getAsString(), json.get("threads").getAsInt(),
                json.get("ms_per_step").getAsDouble(), json.get("tokens_per_sec").getAsDouble());
    }
}
