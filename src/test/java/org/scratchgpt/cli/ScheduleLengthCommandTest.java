package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.optim.TrainingSettings;

/**
 * A run made shorter or longer with {@code --set max_iters=N} keeps its schedule's shape: the cosine decay ends at
 * the new max_iters unless lr_decay_iters was given (with --set or in a --config file), in train and in a resumed run.
 */
class ScheduleLengthCommandTest {
    @TempDir Path dir;

    private static TrainingSettings settingsOf(Path checkpoint) throws Exception {
        return Checkpoint.read(checkpoint).training();
    }

    /** The learning rate of each step in the run folder's metrics, in order. */
    private static List<Double> learningRates(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject())
                .filter(line -> line.get("kind").getAsString().equals("step"))
                .map(line -> line.get("lr").getAsDouble()).toList();
    }

    /** The baby preset decays to 2000; a 6-step run ends near min_lr (1e-4), not near the peak (1e-3). */
    @Test
    void aShorterRunDecaysToItsOwnEnd() throws Exception {
        Path best = TinyRun.train(dir, "short", 16, 6, 3);
        TrainingSettings settings = settingsOf(best);
        assertEquals(6, settings.decayIters());
        assertEquals(0, settings.warmupIters(), "the preset's warmup, 100 of 2000 steps, shrinks with the run");
        List<Double> rates = learningRates(best.getParent());
        assertEquals(6, rates.size());
        assertTrue(rates.get(5) < 2e-4, "the last step's rate is near min_lr: " + rates);
    }

    @Test
    void aDecayTheUserGaveIsKept() throws Exception {
        TrainingSettings decaySet = settingsOf(TinyRun.train(dir, "set", 16, 4, 2, "lr_decay_iters=50"));
        assertEquals(List.of(50, 2), List.of(decaySet.decayIters(), decaySet.warmupIters()),
                "the decay given, and the preset's warmup (100 of 2000) shrunk to it");
        Path config = Files.writeString(dir.resolve("config.json"), "{\"lr_decay_iters\": 40, \"warmup_iters\": 3}");
        Path run = dir.resolve("configured");
        CliRun trained = CliRun.of("train", "--corpus", Files.writeString(dir.resolve("c.txt"), TinyRun.LINE.repeat(30))
                .toString(), "--out", run.toString(), "--config", config.toString(), "--set", "n_layer=1", "--set",
                "n_embd=16", "--set", "n_head=2", "--set", "context_length=16", "--set", "batch_size=2", "--set",
                "max_iters=4", "--set", "eval_interval=4", "--set", "eval_iters=1", "--quiet", "--device", "cpu");
        assertEquals(0, trained.exitCode(), trained.err());
        TrainingSettings settings = settingsOf(run.resolve("latest"));
        assertEquals(List.of(40, 3), List.of(settings.decayIters(), settings.warmupIters()), "the config file's");
    }

    /**
     * A run stopped at step 2 of 8 (killed while writing its next checkpoint) and resumed with max_iters=4 ends its
     * decay at 4; a finished run extended stays at min_lr instead of climbing back up.
     */
    @Test
    void aResumedRunFollowsItsNewLengthUnlessItsDecayIsOver() throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), TinyRun.LINE.repeat(30));
        Path run = dir.resolve("stopped");
        ForkedJvm killed = ForkedJvm.scratchgpt(dir, List.of("-Xmx512m",
                "-Dscratchgpt.crash-at=checkpoint@weights-written#2"), "train", "--corpus", corpus.toString(), "--out",
                run.toString(), "--set", "n_layer=1", "--set", "n_embd=16", "--set", "n_head=2", "--set",
                "context_length=16", "--set", "batch_size=2", "--set", "max_iters=8", "--set", "eval_interval=2",
                "--set", "eval_iters=1", "--quiet", "--device", "cpu");
        killed.waitFor();
        CliRun resumed = CliRun.of("train", "--resume", run.resolve("latest").toString(), "--set", "max_iters=4",
                "--quiet", "--device", "cpu");
        assertEquals(0, resumed.exitCode(), resumed.err() + killed.stderr());
        assertEquals(4, settingsOf(run.resolve("latest")).decayIters(), "the decay follows the new length");
        List<Double> rates = learningRates(run);
        assertTrue(rates.get(rates.size() - 1) < 2.5e-4, "the last step's rate is near min_lr: " + rates);

        CliRun extended = CliRun.of("train", "--resume", run.resolve("latest").toString(), "--set", "max_iters=6",
                "--quiet", "--device", "cpu");
        assertEquals(0, extended.exitCode(), extended.err());
        assertEquals(4, settingsOf(run.resolve("latest")).decayIters(), "the decay was over: it stays");
        List<Double> after = learningRates(run);
        assertEquals(1e-4, after.get(after.size() - 1), 1e-9, "min_lr, not a new climb: " + after);
    }
}
