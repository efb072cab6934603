package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.checkpoint.Manifest;
import org.scratchgpt.io.AtomicFiles;

/**
 * A user's trained model is never lost or silently replaced, through the real command line: damaged and foreign
 * checkpoint files are named (never loaded as an untrained model), a second run into a trained folder is refused,
 * a resumed run refuses what it would ignore, and resuming from best/ does not replace a later latest/.
 */
class CheckpointSafetyCommandTest {
    @TempDir static Path shared;
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private static final String[] TINY = {"--set", "n_layer=1", "--set", "n_embd=32", "--set", "n_head=2",
        "--set", "context_length=16", "--set", "batch_size=4", "--set", "max_iters=6", "--set", "eval_interval=3",
        "--set", "eval_iters=2", "--set", "dropout=0", "--quiet"};

    /** One trained run, copied afresh for each test that damages it. */
    private static Path trained;
    private static Path corpus;

    @BeforeAll
    static void trainOnce() throws Exception {
        corpus = Files.writeString(shared.resolve("corpus.txt"),
                "to be or not to be, that is the question: whether 'tis nobler in the mind to suffer\n".repeat(30));
        trained = shared.resolve("trained");
        CommandLine.run(train(trained));
    }

    private static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The command line in this JVM, its output captured. */
    private static final class CommandLine {
        static void run(String[] args) {
            StringWriter sink = new StringWriter();
            picocli.CommandLine cli = ScratchGpt.commandLine();
            cli.setOut(new PrintWriter(sink, true));
            cli.setErr(new PrintWriter(sink, true));
            int code = cli.execute(args);
            assertEquals(0, code, sink.toString());
        }
    }

    private int run(String... args) {
        picocli.CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /**
     * The project's rule for a user error ({@link CliAssertions#assertOneLineError}), after the notice of which
     * device --device auto picked, which these commands print first.
     */
    private void assertOneLineError(int code, String... words) {
        String errors = err.toString().lines().filter(line -> !line.startsWith("device: "))
                .collect(java.util.stream.Collectors.joining("\n"));
        CliAssertions.assertOneLineError(code, errors, words);
    }

    private Path copyOfTrained() throws Exception {
        Path copy = dir.resolve("run");
        try (Stream<Path> paths = Files.walk(trained)) {
            for (Path p : paths.toList()) {
                Path target = copy.resolve(trained.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    private static Path weightsOf(Path checkpoint) throws Exception {
        try (Stream<Path> files = Files.list(checkpoint)) {
            return files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
        }
    }

    /** What a damaged weights file holds: zeros, random bytes or text, each of the original's size. */
    static Stream<Arguments> damagedWeights() {
        return Stream.of(Arguments.of("zeros"), Arguments.of("random bytes"), Arguments.of("text"));
    }

    private static byte[] damaged(String kind, int size) {
        byte[] bytes = new byte[size];
        switch (kind) {
            case "random bytes" -> new Random(7).nextBytes(bytes);
            case "text" -> {
                byte[] text = "these are not weights\n".repeat(size / 22 + 1).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(text, 0, bytes, 0, size);
            }
            default -> { } // zeros
        }
        return bytes;
    }

    @ParameterizedTest(name = "weights replaced by {0}")
    @MethodSource("damagedWeights")
    void damagedWeightsAreNamedNotSampledAsAnUntrainedModel(String kind) throws Exception {
        Path best = copyOfTrained().resolve("best");
        Path weights = weightsOf(best);
        Files.write(weights, damaged(kind, (int) Files.size(weights)));
        assertOneLineError(run("sample", "--checkpoint", best.toString(), "--max-tokens", "5"),
                weights.toString(), "was written with");
        assertEquals("", out.toString().strip(), "no text was generated");

        // Without the manifest (a checkpoint older than manifests), DJL's own format still gives it away.
        Files.delete(best.resolve(Manifest.FILE));
        err.getBuffer().setLength(0);
        assertOneLineError(run("sample", "--checkpoint", best.toString(), "--max-tokens", "5"),
                weights.toString(), "not in DJL's format");
    }

    @ParameterizedTest(name = "weights cut to {0} bytes")
    @ValueSource(ints = {8, 200, 2000})
    void truncatedWeightsOfACheckpointWithoutManifestSayWhyNotNull(int size) throws Exception {
        Path best = copyOfTrained().resolve("best");
        Files.delete(best.resolve(Manifest.FILE)); // as a checkpoint older than manifests: DJL's reader finds it
        Path weights = weightsOf(best);
        Files.write(weights, java.util.Arrays.copyOf(Files.readAllBytes(weights), size));
        assertOneLineError(run("sample", "--checkpoint", best.toString(), "--max-tokens", "5"), weights.toString(),
                "cannot be read (the file ends too early)", "use another checkpoint");
        assertFalse(err.toString().contains("null"), err.toString());
    }

    @Test
    void resumingFromDamagedWeightsFailsAndLeavesTheCheckpointAsItWas() throws Exception {
        Path latest = copyOfTrained().resolve("latest");
        Path weights = weightsOf(latest);
        Files.write(weights, damaged("zeros", (int) Files.size(weights)));
        byte[] before = Files.readAllBytes(weights);
        assertOneLineError(run("train", "--resume", latest.toString(), "--set", "max_iters=9", "--quiet"),
                weights.toString());
        assertArrayEquals(before, Files.readAllBytes(weights), "the checkpoint was not replaced");
    }

    @Test
    void aForeignTokenizerOfTheSameSizeIsCaught() throws Exception {
        Path best = copyOfTrained().resolve("best");
        Path tokenizer = best.resolve("tokenizer.json");
        String original = Files.readString(tokenizer);
        // Swap the ids of two tokens: the same bytes in another order, a tokenizer that would garble every text.
        String swapped = original.replace("\"a\": ", "\"@A@\": ").replace("\"b\": ", "\"a\": ").replace("\"@A@\": ", "\"b\": ");
        assertTrue(!swapped.equals(original) && swapped.length() == original.length());
        Files.writeString(tokenizer, swapped);
        assertOneLineError(run("sample", "--checkpoint", best.toString(), "--max-tokens", "5"),
                tokenizer.toString(), "does not match the SHA-256");
    }

    /** Checkpoint JSON with missing or mistyped parts, as a hand edit or another program might leave it. */
    static Stream<Arguments> brokenJson() {
        return Stream.of(
                Arguments.of("config.json", "{}", "\"model\" is missing"),
                Arguments.of("config.json", "{\"model\": 5}", "\"model\" must be an object"),
                Arguments.of("config.json", "[1, 2]", "must hold a JSON object"),
                Arguments.of("config.json", "{\"model\": {}, \"training\": {}}", "lacks"),
                Arguments.of("state.json", "{}", "\"step\" is missing"),
                Arguments.of("state.json", "{\"step\": \"ten\"}", "\"step\" must be a whole number"),
                Arguments.of("state.json", "not json at all", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("brokenJson")
    void brokenCheckpointJsonIsOneLineNamingTheFileAndField(String file, String content, String why) throws Exception {
        Path best = copyOfTrained().resolve("best");
        Files.writeString(best.resolve(file), content);
        // With its manifest, the edit is caught as a changed file...
        assertOneLineError(run("sample", "--checkpoint", best.toString()), best.resolve(file).toString(),
                "was written with");

        // ...and with a manifest that vouches for it (or none), by what is wrong inside.
        List<String> names = new ArrayList<>();
        JsonObject listed = JsonParser.parseString(Files.readString(best.resolve(Manifest.FILE))).getAsJsonObject()
                .getAsJsonObject("files");
        listed.keySet().forEach(names::add);
        Manifest.write(best, names);
        err.getBuffer().setLength(0);
        assertOneLineError(run("sample", "--checkpoint", best.toString()), best.resolve(file).toString(), why);
        assertEquals(1, err.toString().split(java.util.regex.Pattern.quote(best.resolve(file).toString()), -1).length
                - 1, "the file is named once: " + err);
        err.getBuffer().setLength(0);
        assertOneLineError(run("train", "--resume", best.toString(), "--quiet"), file, why);
    }

    @Test
    void aFullDiskSaysWhichCheckpointIsIntactAndHowToGoOn() throws Exception {
        Path run = dir.resolve("full");
        System.setProperty("scratchgpt.fail-at", "latest@written#2"); // the step-3 checkpoint cannot be written
        try {
            assertOneLineError(run(train(run)), "No space left on device", "step 3",
                    run.resolve("latest") + " at step 0, is intact", "--resume " + run.resolve("latest"));
        } finally {
            System.clearProperty("scratchgpt.fail-at");
        }
        try (Stream<Path> entries = Files.list(run)) {
            assertEquals(List.of(), entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".new") || n.endsWith(".old")).toList(), "nothing half-written");
        }
        err.getBuffer().setLength(0);
        assertEquals(0, run("train", "--resume", run.resolve("latest").toString(), "--quiet"), err.toString());
        assertTrue(out.toString().contains("trained 6 steps"), out.toString());
    }

    /**
     * A run folder given where a checkpoint is expected: its best/ to use the model (sample, export, attention), its
     * latest/ to continue the run, each said in one line on standard error and nowhere else.
     */
    @Test
    void aRunFolderGivenForACheckpointTakesItsBestOrItsLatestAndSaysWhich() throws Exception {
        Path run = copyOfTrained();
        String[] sample = {"--prompt", "to be", "--max-tokens", "12", "--temperature", "0", "--device", "cpu"};
        assertEquals(0, run(concat(new String[] {"sample", "--checkpoint", run.resolve("best").toString()}, sample)),
                err.toString());
        String fromBest = out.toString();
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(0, run(concat(new String[] {"sample", "--checkpoint", run.toString()}, sample)), err.toString());
        assertEquals(fromBest, out.toString(), "the same model answered, and nothing more went to standard output");
        assertEquals("using " + run.resolve("best") + " (the run's best checkpoint, by val loss)", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(0, run("export", "djl", "--checkpoint", run.toString(), "--out", dir.resolve("djl").toString()),
                err.toString());
        assertTrue(err.toString().contains("using " + run.resolve("best") + " ("), err.toString());
        assertTrue(Files.exists(dir.resolve("djl").resolve("model.pt")));

        err.getBuffer().setLength(0);
        out.getBuffer().setLength(0);
        assertEquals(0, run("train", "--resume", run.toString(), "--set", "max_iters=7", "--quiet", "--device", "cpu"),
                err.toString());
        assertTrue(err.toString().startsWith("using " + run.resolve("latest")
                + " (the run's latest checkpoint, where it stopped)"), err.toString());
        assertTrue(out.toString().contains("trained 7 steps"), out.toString());
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }

    @Test
    void aSecondFreshRunIntoATrainedFolderIsRefusedAndKeepsTheModel() throws Exception {
        Path run = copyOfTrained();
        byte[] weights = Files.readAllBytes(weightsOf(run.resolve("best")));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
        assertOneLineError(run(train(run)), run.toString(), "--resume", "--out", "--overwrite");
        assertArrayEquals(weights, Files.readAllBytes(weightsOf(run.resolve("best"))));
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")), "the metrics are kept too");

        err.getBuffer().setLength(0);
        assertEquals(0, run(train(run, "--overwrite", "--set", "seed=99")), err.toString());
        assertFalse(java.util.Arrays.equals(weights, Files.readAllBytes(weightsOf(run.resolve("best")))),
                "--overwrite trained anew");
    }

    @Test
    void theReadmeRunCommandTwiceKeepsTheFirstModel() throws Exception {
        // The README's command trains into models/<preset> relative to where it runs; here, a copy of a trained
        // run stands at that place, and the same command line (only shortened) is refused.
        Path run = copyOfTrained();
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.move(run, models.resolve("baby"));
        byte[] weights = Files.readAllBytes(weightsOf(models.resolve("baby/best")));
        List<String> args = new ArrayList<>(List.of("train", "--preset", "baby", "--corpus", corpus.toString(),
                "--out", models.resolve("baby").toString()));
        args.addAll(List.of(TINY));
        assertOneLineError(run(args.toArray(String[]::new)), "already holds a trained model");
        assertArrayEquals(weights, Files.readAllBytes(weightsOf(models.resolve("baby/best"))));
    }

    @Test
    void resumeRefusesTheOptionsItWouldIgnore() throws Exception {
        Path latest = copyOfTrained().resolve("latest");
        String[][] refused = {
            {"--preset", "shakespeare-char"},
            {"--tokenizer", "char"},
            {"--out", dir.resolve("elsewhere").toString()},
        };
        for (String[] option : refused) {
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of("train", "--resume", latest.toString(), "--quiet"));
            args.addAll(List.of(option));
            assertOneLineError(run(args.toArray(String[]::new)), option[0]);
        }
        err.getBuffer().setLength(0);
        assertEquals(0, run("train", "--resume", latest.toString(), "--out", latest.getParent().toString(), "--quiet",
                "--set", "max_iters=7"), "--out naming the run's own folder is fine: " + err);
    }

    @Test
    void aMovedCorpusResumesByItsContentAndAnotherTextIsRefused() throws Exception {
        Path run = copyOfTrained();
        Path latest = run.resolve("latest");
        String state = Files.readString(latest.resolve("state.json"));
        assertTrue(state.contains("\"corpus_sha256\""), state);

        // The corpus moved (the path in state.json no longer exists): resume names --corpus.
        Path moved = dir.resolve("moved");
        String hint = JsonParser.parseString(state).getAsJsonObject().get("corpus").getAsString();
        assertOneLineError(runWithCorpusHint(latest, moved.resolve("gone.txt")), "--corpus");

        // A different text is refused, the same text at another path is taken.
        Path other = Files.writeString(dir.resolve("other.txt"), "another text entirely, long enough to train on.\n".repeat(30));
        err.getBuffer().setLength(0);
        assertOneLineError(run("train", "--resume", latest.toString(), "--corpus", other.toString(), "--quiet",
                "--set", "max_iters=9"), other.toString(), "not the text this run trained on");
        Path same = Files.copy(Path.of(hint), Files.createDirectories(moved).resolve("copy.txt"));
        err.getBuffer().setLength(0);
        assertEquals(0, run("train", "--resume", latest.toString(), "--corpus", same.toString(), "--quiet",
                "--set", "max_iters=9"), err.toString());
        assertTrue(out.toString().contains("trained 9 steps"), out.toString());
    }

    /** Resumes with state.json's corpus path pointing at {@code hint} (and the manifest updated to match). */
    private int runWithCorpusHint(Path latest, Path hint) throws Exception {
        Path stateFile = latest.resolve("state.json");
        JsonObject state = JsonParser.parseString(Files.readString(stateFile)).getAsJsonObject();
        state.addProperty("corpus", hint.toString());
        Files.writeString(stateFile, state.toString());
        List<String> names = new ArrayList<>();
        JsonParser.parseString(Files.readString(latest.resolve(Manifest.FILE))).getAsJsonObject()
                .getAsJsonObject("files").keySet().forEach(names::add);
        Manifest.write(latest, names);
        return run("train", "--resume", latest.toString(), "--quiet", "--set", "max_iters=9");
    }

    @Test
    void resumingFromBestDoesNotReplaceALaterLatest() throws Exception {
        Path run = copyOfTrained();
        // Make best/ an earlier checkpoint than latest/ (as after a run whose val loss rose at the end).
        Path best = run.resolve("best");
        AtomicFiles.deleteRecursively(best);
        Files.createDirectories(best);
        try (Stream<Path> files = Files.list(run.resolve("latest"))) {
            for (Path f : files.toList()) {
                Files.copy(f, best.resolve(f.getFileName()));
            }
        }
        Path stateFile = best.resolve("state.json");
        Files.writeString(stateFile, Files.readString(stateFile).replace("\"step\": 6", "\"step\": 3"));
        Files.delete(best.resolve(Manifest.FILE));
        byte[] latestWeights = Files.readAllBytes(weightsOf(run.resolve("latest")));

        assertOneLineError(run("train", "--resume", best.toString(), "--set", "max_iters=9", "--quiet"),
                "(step 6) is later than", "--overwrite");
        assertArrayEquals(latestWeights, Files.readAllBytes(weightsOf(run.resolve("latest"))));
    }
}
