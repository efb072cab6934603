package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.io.AtomicFiles;
import picocli.CommandLine;

/**
 * Java's file errors often say no more than the path ({@code error: /tmp/x}): each kind becomes a sentence that
 * names the path, the reason and the fix. Built by hand here, since most cannot be caused at will (a full disk; a
 * permission, for a test that may run as root).
 */
class FriendlyErrorsTest {
    @TempDir Path dir;

    @Test
    void eachFileSystemFailureNamesThePathTheReasonAndTheFix() {
        assertPrinted(new NoSuchFileException("/data/in.txt"), "/data/in.txt does not exist: check the path");
        assertPrinted(new AccessDeniedException("/models/run"), "permission denied on /models/run: check its"
                + " permissions, or use a path you can read and write");
        assertPrinted(new FileAlreadyExistsException("/models/run"), "/models/run already exists and is in the way",
                "move it away, or choose another path");
        assertPrinted(new NotDirectoryException("/models/run"), "/models/run is not a folder: give the path of a folder");
        assertPrinted(new DirectoryNotEmptyException("/models/run"), "/models/run is a folder that is not empty");
        assertPrinted(new FileSystemException("/mnt/ro/x", null, "Read-only file system"),
                "cannot use /mnt/ro/x (Read-only file system): check the path and its permissions");
        assertPrinted(new UncheckedIOException(new NoSuchFileException("/data/in.txt")), "/data/in.txt does not exist");
    }

    @Test
    void aFullDiskNamesThePathAndSaysTheLastCheckpointIsIntact() {
        Path latest = dir.resolve("run").resolve("latest");
        // What a full disk throws: a plain IOException that names no file. The atomic write puts its target on it.
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.replaceDirectory(latest, folder -> {
            throw new IOException("No space left on device");
        }));

        assertPrinted(failure, "no space left on the device while writing " + latest + ": free some space and run"
                + " again", "written to a temporary file first and then renamed into place, so the last checkpoint"
                + " written is intact");
        assertPrinted(new IOException("No space left on device"), "no space left on the device: free some space");
    }

    @Test
    void aTemporaryFilesNameIsReportedAsItsTargetAndAnyOtherFileAsItIs() {
        Path target = dir.resolve("tokenizer.json");
        IOException onTemporary = new FileSystemException(dir.resolve(".tokenizer.json123.tmp").toString(), null,
                "Input/output error");
        assertPrinted(AtomicFiles.reportedOn(target, onTemporary), "cannot use " + target + " (Input/output error)");
        IOException deniedOnTemporary = new AccessDeniedException(dir.resolve(".tokenizer.json123.tmp").toString());
        assertPrinted(AtomicFiles.reportedOn(target, deniedOnTemporary), "permission denied on " + target + ":");

        IOException onAnother = new NoSuchFileException(dir.resolve("source.json").toString());
        assertSame(onAnother, AtomicFiles.reportedOn(target, onAnother));
    }

    @Test
    void aBugStillThrowsForItsStackTrace() {
        IllegalStateException bug = new IllegalStateException("a bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> handle(bug, new StringWriter())));
    }

    private static void assertPrinted(Exception e, String... expected) {
        StringWriter err = new StringWriter();
        int exitCode;
        try {
            exitCode = handle(e, err);
        } catch (Exception unexpected) {
            throw new AssertionError("not handled as a user's error", unexpected);
        }
        CliAssertions.assertOneLineError(exitCode, err.toString(), expected);
    }

    private static int handle(Exception e, StringWriter err) throws Exception {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return new FriendlyErrors().handleExecutionException(e, cli, null);
    }
}
