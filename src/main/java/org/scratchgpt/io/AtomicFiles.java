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
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
