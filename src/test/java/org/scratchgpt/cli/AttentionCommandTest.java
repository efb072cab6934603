package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.generation.SamplingSettings;
import org.scratchgpt.inspect.CheckpointProbe;
import org.scratchgpt.model.AttentionMaps;
import org.scratchgpt.pictures.AttentionPictures;
import org.scratchgpt.pictures.PanelGrid;
import org.scratchgpt.pictures.Picture;
import org.scratchgpt.training.AttentionSnapshots;

/**
 * {@code scratchgpt attention} on one tiny run trained with attention snapshots at steps 0, 3 and 6: the run keeps
 * them, a {@link CheckpointProbe} of the last checkpoint sees the same, both forms of the command write a PNG of
 * the expected size and title, and mistakes give one-line errors.
 */
class AttentionCommandTest {
    @TempDir static Path dir;
    static Path best;
    static Path runDir;

    @BeforeAll
    static void trainWithSnapshots() throws Exception {
        best = TinyRun.train(dir, "run", 16, 6, 3, List.of("--attention-text", "to be", "--attention-steps", "0,3,6"));
        runDir = best.getParent();
    }

    @Test
    void theRunKeptASnapshotAtEachStepAskedFor() throws Exception {
        SortedMap<Long, AttentionMaps> byStep = AttentionSnapshots.read(runDir);

        assertEquals(List.of(0L, 3L, 6L), List.copyOf(byStep.keySet()));
        AttentionMaps last = byStep.get(6L);
        assertEquals(List.of("t", "o", "\u00b7", "b", "e"), last.tokens());
        assertEquals(2, last.layers());
        assertEquals(2, last.heads());
        assertEquals(1f, last.head(1, 0)[0][0], 1e-6); // the first token can only read itself
        assertEquals(0f, last.head(1, 0)[0][1]);
        try (var files = Files.list(runDir.resolve(AttentionSnapshots.FOLDER))) {
            assertEquals(3, files.count(), "one file per snapshot, no temporary files left");
        }
    }

    @Test
    void aCheckpointProbeSeesWhatTheRunSaw() throws Exception {
        try (CheckpointProbe probe = CheckpointProbe.open(runDir.resolve("latest"))) { // step 6
            AttentionMaps now = probe.attention("to be");
            AttentionMaps kept = AttentionSnapshots.read(runDir).get(6L);
            for (int layer = 0; layer < 2; layer++) {
                for (int head = 0; head < 2; head++) {
                    for (int row = 0; row < 5; row++) {
                        assertArrayEquals(kept.head(layer, head)[row], now.head(layer, head)[row], 1e-6f);
                    }
                }
            }
            int vocabulary = probe.config().vocabSize();
            assertEquals(vocabulary, probe.tokenEmbeddings().length);
            assertEquals(32, probe.tokenEmbeddings()[0].length);
            assertEquals(16, probe.positionTable().length);

            float[] logits = probe.nextTokenLogits("to be");
            double[] all = probe.nextTokenProbabilities("to be", SamplingSettings.DEFAULTS.withTemperature(1).withTopK(0));
            double[] softmax = softmax(logits);
            for (int i = 0; i < vocabulary; i++) {
                assertEquals(softmax[i], all[i], 1e-9, "probability of token " + i);
            }
            double[] topThree = probe.nextTokenProbabilities("to be", SamplingSettings.DEFAULTS.withTopK(3));
            assertEquals(3, java.util.Arrays.stream(topThree).filter(p -> p > 0).count());
            assertEquals(1.0, java.util.Arrays.stream(topThree).sum(), 1e-9);
        }
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void drawsTheSnapshotsOverTheSteps() throws Exception {
        Path png = dir.resolve("evolving.png");
        Result result = run("attention", "--run", runDir.toString(), "--out", png.toString(), "--layer", "1");

        assertEquals(0, result.exitCode(), result.err());
        Picture picture = Picture.readPng(png);
        assertEquals(3 * AttentionPictures.PANEL, picture.width(), "a column per step");
        assertEquals(2 * AttentionPictures.PANEL + PanelGrid.TITLE_HEIGHT, picture.height(), "a row per head");
        assertTrue(picture.title().startsWith("attention on \"to\u00b7be\" over training, steps 0 to 6"), picture.title());
        assertTrue(result.out().contains("wrote " + png), result.out());
    }

    @Test
    void drawsEveryHeadOfACheckpointAtTheSizeAsked() throws Exception {
        Path png = dir.resolve("heads.png");
        Result result = run("attention", "--checkpoint", best.toString(), "--text", "not to be", "--out", png.toString(),
                "--width", "640", "--height", "540");

        assertEquals(0, result.exitCode(), result.err());
        Picture picture = Picture.readPng(png);
        assertEquals(640, picture.width());
        assertEquals(540, picture.height());
        assertEquals("attention on \"not to be\" (" + best + ")", picture.title());
    }

    @Test
    void mistakesGiveOneLineErrors() throws Exception {
        String out = dir.resolve("x.png").toString();
        Result tooLong = run("attention", "--checkpoint", best.toString(), "--text", "to be ".repeat(10), "--out", out);
        assertOneLineError(tooLong.exitCode(), tooLong.err(), "60 tokens long", "context_length 16", "shorter text");
        Result noLayer = run("attention", "--checkpoint", best.toString(), "--text", "to be", "--out", out,
                "--layer", "2");
        assertOneLineError(noLayer.exitCode(), noLayer.err(), "--layer 2", "layers 0 to 1");
        Result both = run("attention", "--checkpoint", best.toString(), "--run", runDir.toString(), "--out", out);
        assertOneLineError(both.exitCode(), both.err(), "either --checkpoint", "not both");
        Result noText = run("attention", "--checkpoint", best.toString(), "--out", out);
        assertOneLineError(noText.exitCode(), noText.err(), "--checkpoint needs --text");
        Result halfSize = run("attention", "--run", runDir.toString(), "--out", out, "--width", "500");
        assertOneLineError(halfSize.exitCode(), halfSize.err(), "both --width and --height");
        Result noSnapshots = run("attention", "--run", dir.toString(), "--out", out);
        assertOneLineError(noSnapshots.exitCode(), noSnapshots.err(), "no attention snapshots", "--attention-text");
        Result stepsAlone = run("train", "--attention-steps", "0,5", "--out", dir.resolve("never").toString());
        assertOneLineError(stepsAlone.exitCode(), stepsAlone.err(), "--attention-steps needs --attention-text");
        assertTrue(!Files.exists(Path.of(out)), "no picture written by a failed command");
    }

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
