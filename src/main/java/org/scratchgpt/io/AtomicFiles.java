package org.scratchgpt.io;

import java.io.IOException;
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

    /** Temporary files are private by default; what they become (a model, a tokenizer) is meant to be shared. */
    private static void makeReadableByOthers(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }
}
