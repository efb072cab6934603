package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.io.CrashPoint;

/**
 * Real processes, killed or signalled while they train: whatever moment a run dies at, the next start resumes
 * from a complete checkpoint, leaves nothing half-written behind, and ends exactly where an uninterrupted run
 * ends; Ctrl-C and SIGTERM stop after the current step with latest/ written; a second run cannot take a folder
 * a live one holds.
 */
class CrashSafetyTest {
    @TempDir static Path shared;
    @TempDir Path dir;

    private static final String[] TINY = {"--set", "n_layer=1", "--set", "n_embd=32", "--set", "n_head=2",
        "--set", "context_length=16", "--set", "batch_size=4", "--set", "eval_iters=2", "--set", "dropout=0.1",
        "--quiet"};

    private static Path corpus;
    /** The weights file an uninterrupted run of 9 steps ends with. */
    private static byte[] uninterrupted;

    @BeforeAll
    static void trainUninterrupted() throws Exception {
        corpus = Files.writeString(shared.resolve("corpus.txt"),
                "to be or not to be, that is the question: whether 'tis nobler in the mind to suffer\n".repeat(30));
        Path run = shared.resolve("uninterrupted");
        assertEquals(0, runHere(trainArgs(run, 9, 3)));
        uninterrupted = Files.readAllBytes(run.resolve("latest/scratchgpt-0009.params"));
    }

    private static String[] trainArgs(Path run, int maxIters, int evalInterval, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--out", run.toString(),
                "--set", "max_iters=" + maxIters, "--set", "eval_interval=" + evalInterval));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static int runHere(String... args) {
        StringWriter sink = new StringWriter();
        picocli.CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(sink, true));
        cli.setErr(new PrintWriter(sink, true));
        int code = cli.execute(args);
        if (code != 0) {
            System.err.println(sink);
        }
        return code;
    }

    /** Names in the run folder that a half-done write leaves: {@code *.old}, {@code .*.new*}, {@code data/.*.tmp}. */
    private static List<String> strays(Path run) throws Exception {
        try (Stream<Path> paths = Files.walk(run)) {
            return paths.map(p -> run.relativize(p).toString())
                    .filter(n -> n.endsWith(".old") || n.contains(".new") || n.endsWith(".tmp")).toList();
        }
    }

    private static long stepOf(Path checkpoint) throws Exception {
        return JsonParser.parseString(Files.readString(checkpoint.resolve("state.json"))).getAsJsonObject()
                .get("step").getAsLong();
    }

    /**
     * Checkpoints are written at steps 0, 3, 6 and 9; the process dies during the second (step 3) at each point of
     * the write: with the weights half written, with the new folder complete but not renamed in, between the two
     * renames, and after them, before the old folder was deleted; for latest/ and for best/.
     */
    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"checkpoint@weights-written#2", "latest@written#2", "latest@set-aside#2",
        "latest@swapped#2", "best@written#2", "best@set-aside#2", "best@swapped#2"})
    void killedAtEachPointOfACheckpointWriteTheNextStartResumesFromACompleteOne(String crashAt) throws Exception {
        Path run = dir.resolve("run");
        ForkedJvm killed = ForkedJvm.scratchgpt(dir, List.of("-Xmx512m", "-Dscratchgpt.crash-at=" + crashAt),
                trainArgs(run, 9, 3));
        assertEquals(CrashPoint.EXIT_CODE, killed.waitFor(), "killed as planned: " + killed.stderr());
        assertFalse(strays(run).isEmpty(), "the kill left a half-done write to repair");

        assertEquals(0, runHere("train", "--resume", run.resolve("latest").toString(), "--quiet"));
        assertEquals(List.of(), strays(run), "nothing half-written is left");
        assertEquals(9, stepOf(run.resolve("latest")));
        assertArrayEquals(uninterrupted, Files.readAllBytes(run.resolve("latest/scratchgpt-0009.params")),
                "the recovered run ends with the uninterrupted run's weights");
        assertTrue(Files.isDirectory(run.resolve("best")));
    }

    /** Starts a run long enough to be stopped by hand, and waits until it has trained a few steps. */
    private ForkedJvm startLongRun(Path run) throws Exception {
        ForkedJvm process = ForkedJvm.scratchgpt(dir, List.of("-Xmx512m"), trainArgs(run, 1_000_000, 1_000_000));
        Path metrics = run.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(metrics) && Files.readAllLines(metrics).stream().filter(l -> l.contains("\"step\"")
                    && l.contains("\"kind\":\"step\"")).count() >= 5) {
                return process;
            }
            assertTrue(process.isAlive(), "the run is training: " + process.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError("the run did not reach step 5 in 2 minutes: " + process.stderr());
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalStopsAfterTheCurrentStepWithLatestWrittenAndSaysHowToResume(String signal) throws Exception {
        Path run = dir.resolve("run");
        ForkedJvm training = startLongRun(run);

        // While it runs, no second run can take its folder.
        String busy = assertThrows(UserError.class, () -> RunFolder.open(run)).getMessage();
        assertTrue(busy.contains("another ScratchGPT run is using") && busy.contains("process " + training.pid()), busy);

        training.signal(signal);
        int code = training.waitFor();
        String err = training.stderr();
        assertEquals(signal.equals("INT") ? 130 : 143, code, err);
        long step = stepOf(run.resolve("latest"));
        assertTrue(step >= 5, "latest/ holds the steps trained: " + step);
        assertTrue(err.contains("stopped by SIG" + signal + " at step " + step), err);
        assertTrue(err.contains("./scratchgpt train --resume " + run.resolve("latest")), err);
        assertFalse(err.contains("Exception"), err);
        assertEquals(List.of(), strays(run));

        assertEquals(0, runHere("train", "--resume", run.resolve("latest").toString(), "--quiet",
                "--set", "max_iters=" + (step + 2)));
        assertEquals(step + 2, stepOf(run.resolve("latest")));
    }

    @Test
    void aSecondCtrlCStopsAtOnceAndTheNextStartStillResumes() throws Exception {
        Path run = dir.resolve("run");
        ForkedJvm training = startLongRun(run);
        training.signal("INT");
        training.signal("INT");
        assertEquals(130, training.waitFor(), training.stderr());

        assertEquals(0, runHere("train", "--resume", run.resolve("latest").toString(), "--quiet",
                "--set", "max_iters=" + (stepOf(run.resolve("latest")) + 1)));
        assertEquals(List.of(), strays(run));
    }
}
