package org.scratchgpt.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;

/**
 * Checks, before any work, that a command can write where it was told to. Training a tokenizer or a model can take
 * long, and would otherwise fail only when saving; and Java's own error names a temporary file, or only the path.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * A folder to write into, made if missing: it must not be a file, and the nearest folder that exists on its
     * path must be writable.
     *
     * @param what the folder's role in the message, e.g. "the run folder"
     * @param fix what to pass instead, e.g. "give --out a folder, e.g. models/run1"
     * @throws UserError naming the folder, why it cannot be written, and {@code fix}
     */
    public static void requireWritableFolder(String what, Path folder, String fix) {
        whyNoFolder(folder, folder).ifPresent(reason -> {
            throw new UserError("cannot write " + what + " " + folder + ": " + reason + ": " + fix);
        });
    }

    /** A file to write, replaced if it is there: it must not be a folder, and its folder must be writable or makeable. */
    public static void requireWritableFile(String what, Path file, String fix) {
        Optional<String> reason = Files.isDirectory(file) ? Optional.of("it is a folder")
                : whyNoFolder(file.toAbsolutePath().getParent(), file);
        reason.ifPresent(why -> {
            throw new UserError("cannot write " + what + " " + file + ": " + why + ": " + fix);
        });
    }

    /**
     * Why {@code folder} cannot be written into or made, judged at the nearest path on its way that exists; empty if
     * it can. That path is called "it" when it is {@code named}, the path the message is about.
     */
    private static Optional<String> whyNoFolder(Path folder, Path named) {
        Path existing = folder.toAbsolutePath().normalize();
        while (!Files.exists(existing)) {
            existing = existing.getParent(); // the root always exists
        }
        String it = existing.equals(named.toAbsolutePath().normalize()) ? "it" : existing.toString();
        if (!Files.isDirectory(existing)) {
            return Optional.of(it + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            return Optional.of("you have no permission to write in " + it);
        }
        return Optional.empty();
    }
}
