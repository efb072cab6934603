package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.model.Gpt;

/**
 * Reading a checkpoint while a run swaps it: a thread holds the run folder, as training does, and replaces best/ in a
 * loop, by turns with the checkpoint of step 2 and of step 4 (whose weights files have other names), exactly as a
 * run writes one. Meanwhile the checkpoint is loaded many times, and sampled through the command line: every read
 * waits for or repeats the swap, none fails ("scratchgpt-0002.params does not exist" once in 26 samples before).
 */
class CheckpointSwapReadTest {
    @TempDir Path dir;

    @Test
    void readersOfACheckpointBeingSwappedNeverFail() throws Exception {
        Path two = TinyRun.train(Files.createDirectories(dir.resolve("a")), "two", 16, 2, 2)
                .resolveSibling(RunFolder.LATEST);
        Path four = TinyRun.train(Files.createDirectories(dir.resolve("b")), "four", 16, 4, 2)
                .resolveSibling(RunFolder.LATEST);
        Path live = dir.resolve("live");
        Path best = live.resolve(RunFolder.BEST);
        AtomicFiles.replaceDirectory(best, into -> copyFiles(two, into));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (RunFolder held = RunFolder.open(live)) { // as a training run holds its folder
                while (!stop.get()) {
                    Path source = swaps.incrementAndGet() % 2 == 0 ? two : four;
                    AtomicFiles.replaceDirectory(best, into -> copyFiles(source, into));
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 300; i++) {
                Checkpoint.Contents contents = Checkpoint.read(best);
                try (Model model = Model.newInstance("swapped")) {
                    model.setBlock(new Gpt(contents.model()));
                    Checkpoint.loadInto(model, best, new Shape(1, 4));
                }
            }
            for (int i = 0; i < 20; i++) {
                CliRun run = CliRun.of("sample", "--checkpoint", best.toString(), "--prompt", "to be", "--max-tokens",
                        "2", "--device", "cpu");
                assertEquals(0, run.exitCode(), "sample " + i + ": " + run.err());
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(null, writerFailure.get(), "the writer swapped without a hitch");
        System.out.println("the checkpoint was swapped " + swaps.get() + " times while it was read");
        assertTrue(swaps.get() > 50, "the reads overlapped many swaps: " + swaps.get());
    }

    private static void copyFiles(Path from, Path into) throws java.io.IOException {
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, into.resolve(file.getFileName()));
            }
        }
    }
}
