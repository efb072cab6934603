package org.scratchgpt.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.scratchgpt.UserError;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can cause (bad files, bad settings) into one clear line and exit code 1,
 * instead of a stack trace. Bugs still print their stack trace, so that they get reported.
 *
 * <p>A failed file operation is the user's to fix (a wrong path, a full disk), but Java's message for it is
 * often the bare path ({@code /tmp/x}): {@link #describe(IOException)} says what went wrong with it, and what to do.
 */
final class FriendlyErrors implements IExecutionExceptionHandler {
    private static final String DISK_FULL = "No space left on device";

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) throws Exception {
        String message;
        if (e instanceof UserError) {
            message = e.getMessage();
        } else if (e instanceof IOException io) {
            message = describe(io);
        } else if (e instanceof UncheckedIOException unchecked) {
            message = describe(unchecked.getCause());
        } else {
            throw e;
        }
        cli.getErr().println(cli.getColorScheme().errorText("error: " + message));
        return 1;
    }

    /** One sentence for a failed file operation: the path, what went wrong with it, and what to do. */
    static String describe(IOException e) {
        if (isDiskFull(e)) {
            return diskFull(e);
        }
        if (!(e instanceof FileSystemException f) || f.getFile() == null) {
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        String path = f.getFile();
        if (e instanceof NoSuchFileException) {
            return path + " does not exist: check the path (every folder on it must exist too)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied on " + path + ": check its permissions, or use a path you can read and write";
        }
        if (e instanceof FileAlreadyExistsException) {
            return path + " already exists and is in the way (a file where a folder should be, or the other way"
                    + " round): move it away, or choose another path";
        }
        if (e instanceof NotDirectoryException) {
            return path + " is not a folder: give the path of a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return path + " is a folder that is not empty, so it cannot be replaced: move it away, or choose another"
                    + " path";
        }
        String reason = f.getReason() != null ? " (" + f.getReason() + ")" : "";
        return "cannot use " + path + reason + ": check the path and its permissions";
    }

    private static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(DISK_FULL)) {
                return true;
            }
        }
        return false;
    }

    private static String diskFull(IOException e) {
        String where = e instanceof FileSystemException f && f.getFile() != null ? " while writing " + f.getFile() : "";
        return "no space left on the device" + where + ": free some space and run again. Nothing saved before is"
                + " damaged: every file is written to a temporary file first and then renamed into place, so the last"
                + " checkpoint written is intact";
    }
}
