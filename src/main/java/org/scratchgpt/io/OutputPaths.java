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
     * Refuses an output that is, holds or lies inside one of the command's inputs, whatever {@code --force} says:
     * writing it would replace or delete the input (a replaced output is deleted first), or put the output where
     * the next run reads it back as input. Paths are compared as they are on disk (links followed), so two
     * spellings of one folder are the same folder.
     *
     * @param output the output's option and path in the message, e.g. "--out models/baby/best"
     * @param input the input's role and path in the message, e.g. "the checkpoint to export, models/baby/best"
     * @param fix what to pass instead, e.g. "give --out a new folder outside it, e.g. models/baby-hf"
     * @throws UserError naming both and how they overlap, and {@code fix}
     */
    public static void requireApart(String output, Path out, String input, Path in, String fix) {
        overlap(out, in).ifPresent(relation -> {
            throw new UserError(output + " " + relation + " " + input + ": an output never replaces, holds or goes"
                    + " inside an input, even when asked to replace it; " + fix);
        });
    }

    /** How {@code out} overlaps {@code in}: "is", "holds" or "lies inside"; empty when they are apart. */
    static Optional<String> overlap(Path out, Path in) {
        Path o = onDisk(out);
        Path i = onDisk(in);
        if (o.equals(i)) {
            return Optional.of("is");
        }
        if (i.startsWith(o)) {
            return Optional.of("holds");
        }
        return o.startsWith(i) ? Optional.of("lies inside") : Optional.empty();
    }

    /**
     * {@code path} absolute, with the part of it that exists as the file system resolves it (links followed), and
     * the rest as written.
     */
    private static Path onDisk(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (java.io.IOException e) {
            return absolute; // unreadable on the way: compare as written
        }
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
