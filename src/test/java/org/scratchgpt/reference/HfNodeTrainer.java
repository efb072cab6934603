package org.scratchgpt.reference;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Trains HuggingFace's own byte-level BPE, the Rust {@code tokenizers} crate, so that tests can
 * hold our trainer against it merge for merge. The crate is reached through its official Node
 * binding (npm package {@code tokenizers}), driven by {@code src/test/node/hf-train.js}.
 *
 * <p>HuggingFace trains with fixed settings we cannot change from Node: at most 30,000 tokens,
 * no minimum pair count, no special tokens. It reads each file line by line, keeping each line's
 * {@code "\n"}, and pre-tokenizes every line on its own.
 *
 * <p>Without node or the npm package, {@link #locate()} skips the calling test.
 */
public final class HfNodeTrainer {

    /** The split rules applied before BPE, as {@code hf-train.js} names them. */
    public enum PreTokenizer {
        /** GPT-2's regex, through HF's ByteLevel pre-tokenizer without a prefix space. */
        GPT2("gpt2"),
        /** GPT-4's (cl100k_base) regex as an isolating Split, then ByteLevel without regex. */
        GPT4("gpt4");

        private final String flag;

        PreTokenizer(String flag) {
            this.flag = flag;
        }
    }

    /** Relative to the Maven project root, where tests run. */
    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final String INSTALL_HINT = "run `npm ci --prefix src/test/node` to install it";

    private final Path node;
    private final Duration timeout;

    private HfNodeTrainer(Path node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    /** The trainer, or the calling test is skipped if node or the npm package is missing. */
    public static HfNodeTrainer locate() {
        return locate(Duration.ofMinutes(10));
    }

    public static HfNodeTrainer locate(Duration timeout) {
        Path node = findOnPath("node");
        assumeTrue(node != null, "node is not on the PATH; install Node.js, then " + INSTALL_HINT);
        assumeTrue(Files.isDirectory(NODE_PROJECT.resolve("node_modules/tokenizers")),
                "npm package tokenizers is missing from " + NODE_PROJECT.toAbsolutePath() + "; " + INSTALL_HINT);
        return new HfNodeTrainer(node, timeout);
    }

    /**
     * Trains on {@code text}, written to {@code workDir/input.txt}; the tokenizer is saved as
     * {@code workDir/tokenizer.json}.
     */
    public HfTrainingResult trainOnText(PreTokenizer preTokenizer, String text, Path workDir)
            throws IOException, InterruptedException {
        Path input = Files.writeString(workDir.resolve("input.txt"), text, StandardCharsets.UTF_8);
        return train(preTokenizer, List.of(input), workDir.resolve("tokenizer.json"));
    }

    /** Trains on the given UTF-8 files and saves HuggingFace's tokenizer.json as {@code output}. */
    public HfTrainingResult train(PreTokenizer preTokenizer, List<Path> files, Path output)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                node.toString(), "hf-train.js", "--pre", preTokenizer.flag,
                "--out", output.toAbsolutePath().toString()));
        files.forEach(file -> command.add(file.toAbsolutePath().toString()));

        String stdout = run(command);
        TokenizerJson trained = TokenizerJson.read(output);
        return new HfTrainingResult(output, trained.merges(), trained.vocab(), trainMillisFrom(stdout));
    }

    /** Runs the command in the node project folder and returns its stdout, or fails with its stderr. */
    private String run(List<String> command) throws IOException, InterruptedException {
        // Files, not pipes, so a chatty child can never block on a full pipe while we wait.
        Path stdout = Files.createTempFile("hf-train", ".out");
        Path stderr = Files.createTempFile("hf-train", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(NODE_PROJECT.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("HuggingFace training took longer than " + timeout
                        + "\n" + Files.readString(stderr));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("HuggingFace training failed with exit code "
                        + process.exitValue() + ": " + String.join(" ", command)
                        + "\n" + Files.readString(stderr));
            }
            return Files.readString(stdout);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The summary is the last line: the Rust trainer prints blank lines of its own before it. */
    private static double trainMillisFrom(String stdout) {
        String[] lines = stdout.strip().split("\n");
        JsonObject summary = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        return summary.get("train_ms").getAsDouble();
    }

    private static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
