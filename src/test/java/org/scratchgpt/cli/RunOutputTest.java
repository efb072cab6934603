package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer sees of a command, through the real command line in JVMs of their own: a command's own lines and
 * nothing else. Training writes clean lines ("step 0: train loss ..."), not "[INFO] TrainingLog - ..."; a progress
 * bar only where standard error is a terminal, and plain lines with the time left where it is a file; one note when
 * the machine is busy; the device {@code --device auto} picked in {@code train} once, elsewhere only with
 * {@code --verbose}, which also lets DJL's information through.
 */
class RunOutputTest {
    private static final Pattern PLAIN_STEP = Pattern.compile("(?m)^step \\d+/6 \\| loss [0-9.]+ \\| lr [0-9.e+-]+"
            + " \\| [0-9,]+ tok/s \\| ETA \\d+s$");

    @TempDir Path dir;

    @Test
    void trainingWithStandardErrorInAFileWritesPlainLinesWithoutTerminalCodes() throws Exception {
        assumeTrue(ForkedJvm.canMakeTerminals(), "util-linux's script is needed to give the run a terminal");
        // A terminal for input and output (System.console() is there), standard error into a file: train 2>log.txt.
        // The load average is given as 1000, as on a very busy machine.
        ForkedJvm.Result run = ForkedJvm.scratchgptOnTerminal(dir, List.of("-Dscratchgpt.loadAverage=1000"), true,
                trainArgs("--log-interval", "2"));
        String err = run.err();
        assertEquals(0, run.exitCode(), run.out() + err);
        assertFalse(err.contains("\u001b") || err.contains("\r"), "terminal codes in a file: " + err);
        assertFalse(err.contains("[INFO]") || err.contains("TrainingLog"), "a logger's prefixes: " + err);
        assertTrue(err.startsWith("device: cpu (--device auto: "), "train says once where it trains: " + err);
        assertEquals(1, count(err, "device: "), err);
        assertTrue(Pattern.compile("(?m)^step 0: train loss [0-9.]+, val loss ").matcher(err).find(), err);
        assertTrue(PLAIN_STEP.matcher(err).find(), "plain step lines with the time left: " + err);
        assertEquals(1, count(err, "note: the load average is 1000.0 on "), "the busy machine, said once: " + err);
    }

    @Test
    void trainingOnATerminalKeepsItsProgressBar() throws Exception {
        assumeTrue(ForkedJvm.canMakeTerminals(), "util-linux's script is needed to give the run a terminal");
        ForkedJvm.Result run = ForkedJvm.scratchgptOnTerminal(dir, List.of(), false, trainArgs());
        String terminal = run.out(); // standard error is on the terminal too
        assertEquals(0, run.exitCode(), terminal);
        assertTrue(terminal.contains("train 100%"), "the bar: " + terminal);
        assertFalse(PLAIN_STEP.matcher(terminal.replace("\r", "")).find(), "no plain lines under a bar: " + terminal);
    }

    @Test
    void onlyTrainSaysTheDeviceAutoPickedUnlessVerbose() throws Exception {
        Path checkpoint = TinyRun.train(dir, "run", 16, 2, 2);
        String[] sample = {"sample", "--checkpoint", checkpoint.toString(), "--prompt", "to be", "--max-tokens", "3"};
        CliRun quiet = CliRun.of(sample);
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertEquals("", quiet.err(), "sample prints nothing but its text");

        List<String> verbose = new ArrayList<>(List.of(sample));
        verbose.add("--verbose");
        ForkedJvm jvm = ForkedJvm.scratchgpt(dir.resolve("logs"), List.of(), verbose.toArray(String[]::new));
        assertEquals(0, jvm.waitFor(), jvm.stderr());
        assertTrue(jvm.stderr().contains("device: cpu (--device auto: "), jvm.stderr());
        assertTrue(jvm.stderr().contains("[INFO] PtEngine - "), "DJL's information with --verbose: " + jvm.stderr());
    }

    private String[] trainArgs(String... more) throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), TinyRun.LINE.repeat(30));
        List<String> args = new ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--out",
                dir.resolve("run-" + System.nanoTime()).toString(), "--set", "n_layer=1", "--set", "n_embd=16",
                "--set", "n_head=2", "--set", "context_length=16", "--set", "batch_size=2", "--set", "max_iters=6",
                "--set", "eval_interval=3", "--set", "eval_iters=1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
