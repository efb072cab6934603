package org.scratchgpt.checkpoint;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;

/**
 * A training run's folder ({@code models/baby}), held by one process at a time. Opening it
 *
 * <ul>
 *   <li>locks it ({@code run.lock}, an OS file lock, so it is released even when the process is killed): two runs
 *       on one folder would interleave their metrics and overwrite each other's checkpoints;
 *   <li>repairs what a killed run left: a checkpoint swap cut between its two renames
 *       ({@link AtomicFiles#recoverDirectory}) and half-written temporary files.
 * </ul>
 *
 * It also answers the two questions that keep a trained model from being lost: may a fresh run start here
 * ({@link #requireFreshStart}), and may a resumed run write its checkpoints here ({@link #requireResumable}).
 */
public final class RunFolder implements AutoCloseable {
    public static final String LOCK = "run.lock";
    public static final String LATEST = "latest";
    public static final String BEST = "best";

    /** The run folders this JVM holds, by real path. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(Path dir, Path key, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates (if needed) and locks the run folder; fails with a clear message when another run holds it. */
    public static RunFolder open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Optional<RunFolder> folder = tryOpen(dir);
        if (folder.isEmpty()) {
            throw new UserError("another ScratchGPT run is using " + dir + " (" + holderOf(dir) + "): wait for it to"
                    + " finish or stop it, or train into another folder with --out");
        }
        return folder.get();
    }

    /**
     * Locks the run folder if no other run holds it. Folders this JVM holds are known without touching the lock
     * file: on Linux, closing any channel to a file drops every lock the process holds on it, so a second look
     * through a new channel would release the first run's lock.
     */
    private static Optional<RunFolder> tryOpen(Path dir) throws IOException {
        Path key = dir.toRealPath();
        if (!HELD_HERE.add(key)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        FileLock lock = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } finally {
            if (lock == null) {
                HELD_HERE.remove(key);
                if (channel != null) {
                    channel.close();
                }
            }
        }
        if (lock == null) {
            return Optional.empty();
        }
        // Who holds it, for the message another run prints.
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + ", started " + Instant.now()
                + " by " + ManagementFactory.getRuntimeMXBean().getName() + "\n").getBytes(StandardCharsets.UTF_8)));
        return Optional.of(new RunFolder(dir, key, channel, lock));
    }

    private static String holderOf(Path dir) {
        try {
            return Files.readString(dir.resolve(LOCK), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    /**
     * Repairs what a run that was killed left behind: checkpoint swaps cut short (latest/ and best/ come back
     * whole) and half-written temporary files. Returns a line per repair, for the log.
     */
    public List<String> recover() throws IOException {
        List<String> repairs = new ArrayList<>();
        for (String name : List.of(LATEST, BEST)) {
            AtomicFiles.recoverDirectory(dir.resolve(name)).ifPresent(repairs::add);
        }
        for (Path stray : strayTemporaryFiles()) {
            Files.deleteIfExists(stray);
            repairs.add("removed the half-written " + dir.relativize(stray));
        }
        return repairs;
    }

    /**
     * The same repair of one checkpoint folder, for a reader (sample, export) that finds it missing or half
     * swapped: done only when no run holds the folder, since a live run's temporaries look like a dead one's.
     */
    public static Optional<String> recoverIfIdle(Path checkpoint) throws IOException {
        Path parent = checkpoint.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !AtomicFiles.needsRecovery(checkpoint)) {
            return Optional.empty();
        }
        Optional<RunFolder> folder = tryOpen(parent);
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        try (RunFolder held = folder.get()) {
            return AtomicFiles.recoverDirectory(checkpoint);
        }
    }

    /** Token files being encoded when the run was killed ({@code data/.train.bin*.tmp}, see TokenFile). */
    private List<Path> strayTemporaryFiles() throws IOException {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (var files = Files.list(data)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(".") && name.endsWith(".tmp");
            }).toList();
        }
    }

    /**
     * A fresh run would replace this folder's checkpoints at its first evaluation (step 0), losing a trained
     * model: refuse unless the user asked for it with {@code --overwrite}, in which case they are removed now,
     * with the metrics that described them.
     */
    public void requireFreshStart(boolean overwrite) throws IOException {
        refuseFreshStartOverModel(dir, overwrite);
        if (overwrite) {
            for (String name : List.of(LATEST, BEST)) {
                AtomicFiles.deleteRecursively(dir.resolve(name));
                AtomicFiles.deleteRecursively(AtomicFiles.asideOf(dir.resolve(name)));
            }
            Files.deleteIfExists(dir.resolve("metrics.jsonl"));
        }
    }

    /**
     * The same refusal without taking the folder, so that a command can say it before the slow parts of its start
     * (loading libtorch); {@link #requireFreshStart} asks again once the folder is locked.
     */
    public static void refuseFreshStartOverModel(Path dir, boolean overwrite) {
        List<String> held = checkpointsHeld(dir);
        if (!held.isEmpty() && !overwrite) {
            throw new UserError(dir + " already holds a trained model (" + String.join(", ", held) + ") that a new run"
                    + " would replace: continue it with `scratchgpt train --resume " + dir.resolve(LATEST) + "` (with --set"
                    + " max_iters=N to train it longer), train into another folder with --out DIR, or pass --overwrite"
                    + " to delete it and start again");
        }
    }

    /**
     * A resumed run writes {@code latest/} at its next evaluation. Resuming from an earlier checkpoint (best/, or
     * a copy) would replace a later latest/: refuse unless the user asked for it with {@code --overwrite}.
     */
    public void requireResumable(Path checkpoint, long checkpointStep, boolean overwrite) {
        Path latest = dir.resolve(LATEST);
        if (overwrite || !Files.isDirectory(latest) || sameFolder(latest, checkpoint)) {
            return;
        }
        Optional<Long> latestStep = stepOf(latest);
        if (latestStep.isPresent() && latestStep.get() > checkpointStep) {
            throw new UserError(latest + " (step " + latestStep.get() + ") is later than " + checkpoint + " (step "
                    + checkpointStep + "), and the resumed run would replace it at its first checkpoint: resume from "
                    + latest + " instead, copy the run folder and resume in the copy, or pass --overwrite to go on"
                    + " from step " + checkpointStep + " and replace latest/");
        }
    }

    /** "latest/ at step 2000", "best/ at step 1500", for the checkpoints (or their swap leftovers) found here. */
    private static List<String> checkpointsHeld(Path dir) {
        List<String> held = new ArrayList<>();
        for (String name : List.of(LATEST, BEST)) {
            Path folder = dir.resolve(name);
            for (Path candidate : List.of(folder, AtomicFiles.asideOf(folder))) {
                if (Files.isDirectory(candidate)) {
                    held.add(candidate.getFileName() + "/" + stepOf(candidate).map(s -> " at step " + s).orElse(""));
                }
            }
        }
        return held;
    }

    /** The step a checkpoint was written at, read leniently: this is only for a message. */
    private static Optional<Long> stepOf(Path checkpoint) {
        try {
            return Optional.of(JsonParser.parseString(Files.readString(checkpoint.resolve("state.json")))
                    .getAsJsonObject().get("step").getAsLong());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Releases the lock. A run that wrote nothing leaves no lock file behind either, so that a failed start does
     * not leave a folder that holds only {@code run.lock}.
     */
    @Override
    public void close() throws IOException {
        try (var entries = Files.list(dir)) {
            if (entries.allMatch(p -> p.getFileName().toString().equals(LOCK))) {
                Files.deleteIfExists(dir.resolve(LOCK));
            }
        } finally {
            lock.release();
            channel.close();
            HELD_HERE.remove(key);
        }
    }
}
