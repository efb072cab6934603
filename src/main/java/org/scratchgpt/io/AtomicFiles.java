package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
     * over another, so the old one is first renamed aside and deleted once the new one is in place; a crash
     * between the two renames leaves the complete old folder beside as {@code target.old}.
     */
    public static void replaceDirectory(Path target, DirectoryWriter writer) throws IOException {
        try {
            replaceDirectoryAsIs(target, writer);
        } catch (IOException e) {
            throw reportedOn(target, e);
        }
    }

    private static void replaceDirectoryAsIs(Path target, DirectoryWriter writer) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path fresh = Files.createTempDirectory(parent, "." + target.getFileName() + ".new");
        makeReadableByOthers(fresh, "rwxr-xr-x");
        try {
            writer.writeInto(fresh);
            Path old = parent.resolve(target.getFileName() + ".old");
            deleteRecursively(old);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(old);
        } finally {
            deleteRecursively(fresh);
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
