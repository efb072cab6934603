package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder in the system's temporary directory that is deleted, with everything in it, when closed: for files that
 * matter only while a command runs (a benchmark's random tokens, the tokenizers it trains). Used in a
 * try-with-resources block, it goes even when the work fails; nothing is left for the user to clean up.
 */
public final class TemporaryFolder implements AutoCloseable {
    private final Path path;

    private TemporaryFolder(Path path) {
        this.path = path;
    }

    /** A new, empty folder whose name starts with {@code prefix}. */
    public static TemporaryFolder create(String prefix) throws IOException {
        return new TemporaryFolder(Files.createTempDirectory(prefix));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        AtomicFiles.deleteRecursively(path);
    }
}
