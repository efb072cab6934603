package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

/**
 * Snapshots of attention during training: taken at every evaluation when no steps are given, and invisible to
 * the training itself: a run that takes them ends with exactly the weights of one that does not (dropout is on,
 * so a snapshot that drew a random number would show).
 */
class AttentionSnapshotsTest {
    @TempDir Path dir;

    @Test
    void takenAtEveryEvaluationWithoutChangingTheTraining() throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), TrainingRunTest.pangrams());
        train(corpus, dir.resolve("plain"), AttentionSnapshots.Plan.NONE);
        train(corpus, dir.resolve("watched"), new AttentionSnapshots.Plan("the quick", List.of()));

        assertEquals(List.of(0L, 4L, 8L), List.copyOf(AttentionSnapshots.read(dir.resolve("watched")).keySet()));
        assertFalse(Files.exists(dir.resolve("plain").resolve(AttentionSnapshots.FOLDER)));
        float[][] plain = TrainingRunTest.weights(dir.resolve("plain").resolve("latest"), Device.cpu());
        float[][] watched = TrainingRunTest.weights(dir.resolve("watched").resolve("latest"), Device.cpu());
        for (int i = 0; i < plain.length; i++) {
            assertArrayEquals(plain[i], watched[i], "parameter " + i + " after 8 steps");
        }
    }

    @Test
    void aTextLongerThanTheContextFailsBeforeTheFirstStep() throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), TrainingRunTest.pangrams());
        Path runDir = dir.resolve("long");
        UserError error = assertThrows(UserError.class, () -> train(corpus, runDir,
                new AttentionSnapshots.Plan("the quick brown fox jumps", List.of(0L))));
        assertTrue(error.getMessage().contains("--attention-text is 25 tokens long"), error.getMessage());
        assertFalse(Files.exists(runDir.resolve("latest")), "no step was trained");
    }

    private static void train(Path corpus, Path runDir, AttentionSnapshots.Plan plan) throws Exception {
        TrainingRun.run(TrainingRunTest.spec(TrainingRunTest.TINY, TrainingRunTest.settings(8, 4), corpus, runDir)
                .build(), new RunMode.Pretraining("char", false), new TrainingRun.RunControl(false, StopRequest.manual(),
                plan));
    }
}
