package org.scratchgpt.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;

/**
 * The run folder's guards, on folders laid out by hand as a killed run leaves them: the lock, the repair of a
 * checkpoint swap cut at each point, and the refusals that keep a trained model from being replaced.
 */
class RunFolderTest {
    @TempDir Path dir;

    /** A stand-in checkpoint: a folder whose state.json says its step, and a file that says which one it is. */
    private Path checkpoint(String name, long step) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("state.json"), "{\"step\": " + step + "}");
        Files.writeString(folder.resolve("which"), name + "@" + step);
        return folder;
    }

    private List<String> leftovers() throws Exception {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".old") || n.contains(".new")).sorted().toList();
        }
    }

    @Test
    void aSecondRunOnTheSameFolderIsRefusedWhileTheFirstHoldsIt() throws Exception {
        try (RunFolder first = RunFolder.open(dir)) {
            String error = assertThrows(UserError.class, () -> RunFolder.open(dir)).getMessage();
            assertTrue(error.contains("another ScratchGPT run is using " + dir), error);
            assertTrue(error.contains("process " + ProcessHandle.current().pid()), error);
            assertTrue(error.contains("--out"), error);
        }
        RunFolder.open(dir).close(); // released: the folder can be taken again
    }

    @Test
    void aFolderThatHoldsNothingButTheLockKeepsNoLockFile() throws Exception {
        Path empty = dir.resolve("empty");
        RunFolder.open(empty).close();
        try (var entries = Files.list(empty)) {
            assertEquals(0, entries.count(), "a run that wrote nothing leaves nothing");
        }
    }

    @Test
    void aSwapCutAfterTheOldCheckpointWasSetAsideIsUndone() throws Exception {
        checkpoint("latest.old", 300); // the complete old one, renamed aside
        checkpoint(".latest.new123", 400); // the new one, never renamed in
        try (RunFolder folder = RunFolder.open(dir)) {
            String repairs = String.join("\n", folder.recover());
            assertTrue(repairs.contains("restored " + dir.resolve("latest") + " from latest.old"), repairs);
            assertTrue(repairs.contains("removed the half-written .latest.new123"), repairs);
        }
        assertEquals("latest.old@300", Files.readString(dir.resolve("latest/which")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aSwapCutAfterTheNewCheckpointWasRenamedInIsFinished() throws Exception {
        checkpoint("latest", 400);
        checkpoint("latest.old", 300);
        checkpoint("best", 400);
        checkpoint("best.old", 300);
        Files.delete(dir.resolve("best.old/which")); // half deleted
        try (RunFolder folder = RunFolder.open(dir)) {
            assertEquals(2, folder.recover().size());
        }
        assertEquals("latest@400", Files.readString(dir.resolve("latest/which")));
        assertEquals("best@400", Files.readString(dir.resolve("best/which")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aCheckpointHalfWrittenBeforeAnyRenameIsRemovedAndTheOldOneKept() throws Exception {
        checkpoint("latest", 300);
        Files.createDirectories(dir.resolve(".latest.new98765")).resolve("partial");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/.train.bin123.tmp"), "half the tokens");
        try (RunFolder folder = RunFolder.open(dir)) {
            assertEquals(2, folder.recover().size());
            assertTrue(folder.recover().isEmpty(), "nothing left to repair");
        }
        assertEquals("latest@300", Files.readString(dir.resolve("latest/which")));
        assertEquals(List.of(), leftovers());
        assertFalse(Files.exists(dir.resolve("data/.train.bin123.tmp")));
    }

    @Test
    void aReaderRepairsACheckpointOnlyWhenNoRunHoldsTheFolder() throws Exception {
        checkpoint("best.old", 300);
        try (RunFolder busy = RunFolder.open(dir)) {
            assertTrue(RunFolder.recoverIfIdle(dir.resolve("best")).isEmpty(), "a live run's folder is left alone");
            assertFalse(Files.exists(dir.resolve("best")));
        }
        assertTrue(RunFolder.recoverIfIdle(dir.resolve("best")).isPresent());
        assertEquals("best.old@300", Files.readString(dir.resolve("best/which")));
    }

    @Test
    void aFreshRunIsRefusedOverATrainedModelUnlessAskedToOverwrite() throws Exception {
        checkpoint("latest", 2000);
        checkpoint("best", 1500);
        Files.writeString(dir.resolve("metrics.jsonl"), "{}\n");
        try (RunFolder folder = RunFolder.open(dir)) {
            String error = assertThrows(UserError.class, () -> folder.requireFreshStart(false)).getMessage();
            assertTrue(error.contains("latest/ at step 2000") && error.contains("best/ at step 1500"), error);
            for (String way : List.of("--resume " + dir.resolve("latest"), "--out", "--overwrite")) {
                assertTrue(error.contains(way), "names " + way + ": " + error);
            }
            assertTrue(Files.isDirectory(dir.resolve("latest")), "refusing changes nothing");

            folder.requireFreshStart(true);
        }
        assertFalse(Files.exists(dir.resolve("latest")));
        assertFalse(Files.exists(dir.resolve("best")));
        assertFalse(Files.exists(dir.resolve("metrics.jsonl")));
    }

    @Test
    void onlyTheOldCopyOfACheckpointStillCountsAsATrainedModel() throws Exception {
        checkpoint("latest.old", 700); // a swap cut short that nothing has repaired yet
        try (RunFolder folder = RunFolder.open(dir)) {
            String error = assertThrows(UserError.class, () -> folder.requireFreshStart(false)).getMessage();
            assertTrue(error.contains("latest.old/ at step 700"), error);
        }
    }

    @Test
    void resumingFromAnEarlierCheckpointThanLatestIsRefusedUnlessAskedToOverwrite() throws Exception {
        checkpoint("latest", 2000);
        Path best = checkpoint("best", 1500);
        try (RunFolder folder = RunFolder.open(dir)) {
            String error = assertThrows(UserError.class, () -> folder.requireResumable(best, 1500, false)).getMessage();
            assertTrue(error.contains("(step 2000) is later than") && error.contains("--overwrite"), error);
            folder.requireResumable(best, 1500, true);
            folder.requireResumable(dir.resolve("latest"), 2000, false);
            folder.requireResumable(dir.resolve("./latest"), 2000, false);
        }
        checkpoint("best", 2000); // as late as latest: nothing newer is lost
        try (RunFolder folder = RunFolder.open(dir)) {
            folder.requireResumable(dir.resolve("best"), 2000, false);
        }
    }

    @Test
    void replacingAFolderRepairsAnEarlierCutSwapFirstInsteadOfDeletingTheOnlyCopy() throws Exception {
        checkpoint("latest.old", 300); // the only complete copy
        // A write that fails (a full disk) must leave that copy in place as latest/, not delete it as stale.
        assertThrows(java.io.IOException.class, () -> AtomicFiles.replaceDirectory(dir.resolve("latest"), fresh -> {
            throw new java.io.IOException("No space left on device");
        }));
        assertEquals("latest.old@300", Files.readString(dir.resolve("latest/which")));
        assertEquals(List.of(), leftovers());

        AtomicFiles.replaceDirectory(dir.resolve("latest"), fresh -> Files.writeString(fresh.resolve("which"), "new"));
        assertEquals("new", Files.readString(dir.resolve("latest/which")));
        assertEquals(List.of(), leftovers());
    }
}
