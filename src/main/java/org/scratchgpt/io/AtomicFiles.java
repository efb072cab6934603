package org.scratchgpt.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a file (or a whole folder) so that readers see either the old version or the whole new one, never
 * half of it: the content goes to a temporary file or folder beside the target, which is then renamed into
 * place. A crash mid-write leaves at most a stray temporary, never a corrupt tokenizer or checkpoint.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of one file, for {@link #replaceDirectory}. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeInto(Path directory) throws IOException;
    }

    /**
     * Fills a new folder with {@code writer}, then swaps it in for {@code target}. A folder cannot be renamed
     * over another, so the old one is first renamed aside to {@code target.old} and deleted once the new one is
     * in place. A crash (a kill, a power cut) at any moment leaves one of these, each of which
     * {@link #recoverDirectory} turns back into a complete {@code target} with nothing stray beside it:
     *
     * <pre>
     *   while the new folder is written:   target (complete)      + .target.newXYZ (partial)
     *   after target was renamed aside:    target.old (complete)  + .target.newXYZ (complete)
     *   after the new one was renamed in:  target (complete, new) + target.old (complete or half deleted)
     * </pre>
     *
     * Whoever calls this must be the only writer of the folder (a training run holds its run folder's lock).
     */
    public static void replaceDirectory(Path target, DirectoryWriter writer) throws IOException {
        try {
            replaceDirectoryAsIs(target, writer);
        } catch (IOException e) {
            throw reportedOn(target, e);
        }
    }

    private static void replaceDirectoryAsIs(Path target, DirectoryWriter writer) throws IOException {
        recoverDirectory(target);
        Path parent = parentOf(target);
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        Path fresh = Files.createTempDirectory(parent, "." + name + ".new");
        makeReadableByOthers(fresh, "rwxr-xr-x");
        try {
            writer.writeInto(fresh);
            syncTree(fresh); // on disk before it is renamed in, or a power cut could leave it renamed but empty
            CrashPoint.reach(name, "written");
            Path old = asideOf(target);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            CrashPoint.reach(name, "set-aside");
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
            CrashPoint.reach(name, "swapped");
            deleteRecursively(old);
        } finally {
            deleteRecursively(fresh);
        }
    }

    /**
     * Puts {@code target} back together after a {@link #replaceDirectory} that was cut short, and removes the
     * half-written folders it left: the old copy comes back when the new one never arrived, and is dropped
     * when it did. Returns what it did, for a message, or empty when there was nothing to do. Call it only as
     * the folder's one writer: another process's half-written folder looks just like a dead one's.
     */
    public static Optional<String> recoverDirectory(Path target) throws IOException {
        Path parent = parentOf(target);
        if (!Files.isDirectory(parent)) {
            return Optional.empty();
        }
        List<String> done = new ArrayList<>();
        Path old = asideOf(target);
        if (Files.isDirectory(old) && !Files.exists(target)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
            done.add("restored " + target + " from " + old.getFileName() + " (a checkpoint swap was interrupted)");
        } else if (Files.exists(old)) {
            deleteRecursively(old);
            done.add("removed " + old + " (left by an interrupted checkpoint swap)");
        }
        for (Path stray : strayTemporaries(target)) {
            deleteRecursively(stray);
            done.add("removed the half-written " + stray.getFileName());
        }
        return done.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", done));
    }

    /** Whether {@link #recoverDirectory} would change anything. */
    public static boolean needsRecovery(Path target) throws IOException {
        return Files.exists(asideOf(target)) || !strayTemporaries(target).isEmpty();
    }

    /** Where {@code target} is kept during a swap. */
    public static Path asideOf(Path target) {
        return parentOf(target).resolve(target.getFileName() + ".old");
    }

    /** The {@code .target.new*} folders that {@link #replaceDirectory} was writing when it was stopped. */
    private static List<Path> strayTemporaries(Path target) throws IOException {
        Path parent = parentOf(target);
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        String prefix = "." + target.getFileName() + ".new";
        try (var entries = Files.list(parent)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    private static Path parentOf(Path target) {
        return target.toAbsolutePath().getParent();
    }

    /** Forces every file of a folder, and the folder itself, to disk. */
    private static void syncTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel channel = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    syncDirectory(p);
                }
            }
        }
    }

    /** Forces a folder's entries (a rename into it) to disk; where the platform cannot, the rename still holds. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms and file systems do not open folders; the data is written, only not yet forced.
        }
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public static void write(Path target, byte[] content) throws IOException {
        try {
            writeAsIs(target, content);
        } catch (IOException e) {
            throw reportedOn(target, e);
        }
    }

    private static void writeAsIs(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        makeReadableByOthers(temp, "rw-r--r--");
        try {
            Files.write(temp, content);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A failed write, reported on its {@code target}: a full disk's IOException names no file at all, and the name
     * of a temporary file ({@code .tokenizer.json123.tmp}) means nothing to the user. A failure that names another
     * file (one being read, say) is returned as it is.
     */
    public static IOException reportedOn(Path target, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null && !isTemporaryOf(target, Path.of(f.getFile()))) {
            return e;
        }
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        // A denied permission has no reason text: its type is the reason, so it is kept.
        FileSystemException onTarget = e instanceof AccessDeniedException ? new AccessDeniedException(target.toString())
                : new FileSystemException(target.toString(), null, reason);
        onTarget.initCause(e);
        return onTarget;
    }

    /** Whether {@code path} is, or is inside, a temporary of {@code target}: they are named ".{target's name}...". */
    private static boolean isTemporaryOf(Path target, Path path) {
        Path folder = target.toAbsolutePath().getParent();
        Path absolute = path.toAbsolutePath();
        return absolute.startsWith(folder) && absolute.getNameCount() > folder.getNameCount()
                && absolute.getName(folder.getNameCount()).toString().startsWith("." + target.getFileName());
    }

    /** Temporary files are private by default; what they become (a model, a tokenizer) is meant to be shared. */
    private static void makeReadableByOthers(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }
}
