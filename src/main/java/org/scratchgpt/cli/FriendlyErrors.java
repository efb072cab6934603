package org.scratchgpt.cli;

import ai.djl.engine.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scratchgpt.UserError;
import org.scratchgpt.config.ByteSize;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

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
        if (StandardOutput.readerLeft()) {
            return StandardOutput.EXIT_CODE; // no message: the user closed the output (`| head`); see StandardOutput
        }
        String message;
        if (e instanceof UserError) {
            message = e.getMessage();
        } else if (e instanceof IOException io) {
            message = describe(io);
        } else if (e instanceof UncheckedIOException unchecked) {
            message = describe(unchecked.getCause());
        } else {
            // A model or batch that did not fit is the user's to fix too; anything else is a bug.
            message = outOfMemory(e, cli).orElseThrow(() -> e);
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

    // ---------------------------------------------------------------- out of memory

    // libtorch's words: "DefaultCPUAllocator: can't allocate memory: you tried to allocate 1099511627776 bytes",
    // "CUDA out of memory. Tried to allocate 2.00 GiB", and on Windows "DefaultCPUAllocator: not enough memory".
    private static final Pattern NATIVE_OUT_OF_MEMORY =
            Pattern.compile("(?i)can't allocate memory|out of memory|not enough memory");
    private static final Pattern BYTES_ASKED = Pattern.compile("(?i)tried to allocate (\\d+) bytes");
    private static final Pattern SIZE_ASKED = Pattern.compile("(?i)tried to allocate ([0-9.]+ ?[KMGT]i?B)");

    /**
     * A model or batch that did not fit: libtorch's allocator failed (DJL throws that as an EngineException) or the
     * Java heap ran out. Says what did not fit and which {@code plan} command finds what does; empty for anything
     * else. {@link #passingOutOfMemoryErrors} makes sure a Java OutOfMemoryError gets here at all.
     */
    static Optional<String> outOfMemory(Throwable e, CommandLine cli) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return Optional.of("the Java heap ran out of memory (" + t.getMessage() + ", at most "
                        + ByteSize.format(Runtime.getRuntime().maxMemory()) + "): give it more with"
                        + " SCRATCHGPT_JAVA_OPTS=-Xmx16g, or " + planAdvice(cli));
            }
            if (t instanceof EngineException && t.getMessage() != null
                    && NATIVE_OUT_OF_MEMORY.matcher(t.getMessage()).find()) {
                return Optional.of("out of memory: libtorch could not allocate " + sizeAsked(t.getMessage())
                        + (t.getMessage().contains("CUDA") ? " on the GPU" : "") + ", so the model or the batch does"
                        + " not fit: " + planAdvice(cli));
            }
        }
        return Optional.empty();
    }

    /** "an array of 1.1 TB", from libtorch's message where it says; "memory" where it does not. */
    private static String sizeAsked(String message) {
        Matcher bytes = BYTES_ASKED.matcher(message);
        if (bytes.find()) {
            return "an array of " + ByteSize.format(Long.parseLong(bytes.group(1)));
        }
        Matcher size = SIZE_ASKED.matcher(message);
        return size.find() ? "an array of " + size.group(1) : "memory";
    }

    /** The plan command the memory check wrote for this run (train), else the general form. */
    private static String planAdvice(CommandLine cli) {
        Optional<String> plan = cli.getCommandSpec().mixins().values().stream().map(CommandSpec::userObject)
                .filter(MemoryCheck.class::isInstance).flatMap(check -> ((MemoryCheck) check).planCommand().stream())
                .findFirst();
        return plan.map(command -> "find what fits with `" + command + "`")
                .orElse("find what fits with `scratchgpt plan --memory SIZE` and this command's --preset and --set");
    }

    /**
     * picocli hands an exception handler only Exceptions: an OutOfMemoryError (an Error) would escape it with its
     * stack trace. This strategy passes one on inside picocli's ExecutionException, which does reach the handler.
     */
    static IExecutionStrategy passingOutOfMemoryErrors(IExecutionStrategy strategy) {
        return parsed -> {
            try {
                return strategy.execute(parsed);
            } catch (OutOfMemoryError e) {
                java.util.List<CommandLine> commands = parsed.asCommandLineList();
                throw new ExecutionException(commands.get(commands.size() - 1), "out of memory", e);
            }
        };
    }
}
