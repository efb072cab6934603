package org.scratchgpt.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs HuggingFace's Rust BPE trainer through its official Node binding ({@code src/test/node/hf-train.js},
 * installed with {@code npm ci --prefix src/test/node}), as the reference our trainer is compared with,
 * merge for merge in the tests and second for second in the benchmark.
 */
public final class HfNodeTrainer {
    private final Path nodeDir;

    /** @param nodeDir the folder holding hf-train.js and its node_modules */
    public HfNodeTrainer(Path nodeDir) {
        this.nodeDir = nodeDir;
    }

    /** Null when node or the npm package is missing; otherwise the reason it cannot run is absent too. */
    public String whyUnavailable() {
        if (!Files.isRegularFile(nodeDir.resolve("hf-train.js"))) {
            return "no " + nodeDir.resolve("hf-train.js");
        }
        if (!Files.isDirectory(nodeDir.resolve("node_modules/tokenizers"))) {
            return "HuggingFace's npm package is not installed: run npm ci --prefix " + nodeDir;
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "node does not run";
        } catch (IOException e) {
            return "node is not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** What one training run produced. */
    public record Result(double trainMillis, Path tokenizerJson) {}

    /**
     * Trains on {@code files} (read line by line, line endings kept) with the given pre-tokenizer
     * ("gpt2" or "gpt4") and HuggingFace's default trainer settings (30,000 tokens at most).
     */
    public Result train(String preTokenizer, Path output, List<Path> files) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("node", nodeDir.resolve("hf-train.js").toString(),
                "--pre", preTokenizer, "--out", output.toString()));
        files.forEach(f -> command.add(f.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException("HuggingFace's trainer failed: " + printed);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while HuggingFace's trainer ran", e);
        }
        // The Rust trainer prints progress lines of its own; the result is the last line.
        String[] lines = printed.strip().split("\n");
        JsonObject result = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        return new Result(result.get("train_ms").getAsDouble(), output);
    }
}
