package org.scratchgpt.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewFoldersTest {
    @TempDir Path dir;

    @Test
    void removesTheEmptyFoldersItNotedUpToOneThatHoldsSomething() throws IOException {
        NewFolders made = NewFolders.onTheWayTo(dir.resolve("a/b/c"));
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/kept.txt"), "x");

        made.removeEmpty();

        assertFalse(Files.exists(dir.resolve("a/b")));
        assertTrue(Files.exists(dir.resolve("a/kept.txt")));
    }

    @Test
    void skipsTheFoldersThatWereNeverMadeAndNeverTouchesOnesThatWereThere() throws IOException {
        Files.createDirectory(dir.resolve("there"));
        NewFolders made = NewFolders.onTheWayTo(dir.resolve("there/a/b"));
        Files.createDirectory(dir.resolve("there/a")); // the command failed before it made b

        made.removeEmpty();

        assertFalse(Files.exists(dir.resolve("there/a")));
        assertTrue(Files.isDirectory(dir.resolve("there")));
    }

    @Test
    void removeWithContentsEmptiesOnlyTheDeepestFolder() throws IOException {
        NewFolders made = NewFolders.onTheWayTo(dir.resolve("models/run"));
        Files.createDirectories(dir.resolve("models/run/data"));
        Files.writeString(dir.resolve("models/run/tokenizer.json"), "{}");
        Files.createDirectory(dir.resolve("models/other")); // another run's, made meanwhile

        made.removeWithContents();

        assertFalse(Files.exists(dir.resolve("models/run")));
        assertTrue(Files.isDirectory(dir.resolve("models/other")));
    }
}
