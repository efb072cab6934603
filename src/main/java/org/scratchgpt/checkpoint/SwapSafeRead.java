package org.scratchgpt.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.scratchgpt.io.AtomicFiles;

/**
 * Reading a checkpoint folder that a training run may be replacing at that very moment. A run swaps best/ and
 * latest/ in whole ({@link AtomicFiles#replaceDirectory}): the old folder is renamed aside to {@code best.old}, then
 * the new one renamed in. Between the two renames there is no best/ at all; and a reader that opens files by path,
 * one after another, can meet both checkpoints: the weights file listed in the old one and looked for in the new
 * ("scratchgpt-0006.params does not exist"), or the old manifest against the new weights.
 *
 * <p>So a read is an attempt, repeated while the folder is being swapped: an attempt that fails, or that succeeds
 * while the folder changed under it, is made again after a short pause. The folder's identity is its file key (its
 * inode): a swapped-in folder is a new folder, and a checkpoint folder is never changed once it is in place, so an
 * attempt that began and ended on the same folder read one checkpoint. A failure with no swap in sight is the
 * checkpoint's own (missing, damaged) and is reported at once.
 */
final class SwapSafeRead {
    /** A swap takes two renames; a run that died between them is repaired by the next start. */
    private static final long PATIENCE_NANOS = 30_000_000_000L;
    private static final long PAUSE_MILLIS = 20;

    /** One attempt at reading the folder. */
    @FunctionalInterface
    interface Attempt<T> {
        T read() throws IOException;
    }

    private SwapSafeRead() {}

    /** The result of {@code attempt} on one checkpoint in {@code dir}, made again while the folder is swapped. */
    static <T> T of(Path dir, Attempt<T> attempt) throws IOException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (true) {
            Object before = identity(dir);
            try {
                T result = attempt.read();
                if (before != null && before.equals(identity(dir))) {
                    return result;
                }
                if (System.nanoTime() > deadline) {
                    throw new org.scratchgpt.UserError("checkpoint " + dir + " was replaced again and again for 30 s"
                            + " while it was read: read it once its run has stopped, or copy it first");
                }
            } catch (IOException | RuntimeException e) {
                if (!swappedSince(dir, before) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            pause();
        }
    }

    /** Whether {@code dir} is no longer the folder it was ({@code before}), or is absent mid-swap. */
    private static boolean swappedSince(Path dir, Object before) throws IOException {
        Object now = identity(dir);
        if (now == null) {
            return Files.isDirectory(AtomicFiles.asideOf(dir)); // between the two renames of a swap
        }
        return !Objects.equals(now, before);
    }

    /** The folder's file key (device and inode), or its creation time where the file system has none; null if absent. */
    private static Object identity(Path dir) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a checkpoint swap");
        }
    }
}
