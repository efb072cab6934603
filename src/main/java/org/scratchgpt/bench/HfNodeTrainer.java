package org.scratchgpt.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs HuggingFace's Rust BPE trainer through its official Node binding ({@code hf-train.js} in
 * {@code src/test/node}, installed with {@code npm ci --prefix src/test/node}): the reference our
 * trainer is compared with, merge for merge in the tests and second for second in the benchmark.
 *
 * <p>HuggingFace trains with settings Node cannot change: at most 30,000 tokens, no minimum pair
 * count, no special tokens. It reads each file line by line, keeping each line's {@code "\n"}.
 */
public final class HfNodeTrainer {
    /** The usual place of hf-train.js, relative to the project root. */
    public static final Path DEFAULT_DIR = Path.of("src", "test", "node");

    private final Path nodeDir;
    private final Duration timeout;

    /** @param nodeDir the folder holding hf-train.js and its node_modules */
    public HfNodeTrainer(Path nodeDir, Duration timeout) {
        this.nodeDir = nodeDir.toAbsolutePath();
        this.timeout = timeout;
    }

    /** Why the trainer cannot run here (with the fix), or null when it can. */
    public String whyUnavailable() {
        String install = "run `npm ci --prefix " + DEFAULT_DIR + "`";
        if (!Files.isRegularFile(nodeDir.resolve("hf-train.js"))) {
            return "no " + nodeDir.resolve("hf-train.js");
        }
        if (!Files.isDirectory(nodeDir.resolve("node_modules/tokenizers"))) {
            return "HuggingFace's npm package is not installed in " + nodeDir + ": " + install;
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "`node --version` failed: install Node.js, then " + install;
        } catch (IOException e) {
            return "node is not on the PATH: install Node.js, then " + install;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Trains on the UTF-8 {@code files} with the pre-tokenizer "gpt2" or "gpt4", saves HuggingFace's
     * tokenizer.json as {@code output}, and returns the training time measured inside node (its start-up
     * and the loading of the binding not included).
     */
    public double trainMillis(String preTokenizer, List<Path> files, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "hf-train.js", "--pre", preTokenizer,
                "--out", output.toAbsolutePath().toString()));
        files.forEach(file -> command.add(file.toAbsolutePath().toString()));
        String[] lines = run(command).strip().split("\n");
        // The Rust trainer prints progress lines of its own; the summary is the last line.
        JsonObject summary = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        return summary.get("train_ms").getAsDouble();
    }

    /** Runs the command in the node folder and returns its stdout, or fails with its stderr. */
    private String run(List<String> command) throws IOException {
        // Files, not pipes, so a chatty child can never block on a full pipe while we wait.
        Path stdout = Files.createTempFile("hf-train", ".out");
        Path stderr = Files.createTempFile("hf-train", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(nodeDir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("HuggingFace's trainer took longer than " + timeout + "\n" + Files.readString(stderr));
            }
            if (process.exitValue() != 0) {
                throw new IOException("HuggingFace's trainer failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + Files.readString(stderr));
            }
            return Files.readString(stdout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while HuggingFace's trainer ran", e);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
