package org.scratchgpt.curation.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.scratchgpt.UserError;

/**
 * The files behind the {@code --input} paths, in a stable order: a file as it is, a folder as every file under it
 * (recursively), sorted by path, so that two runs over the same input read the same documents in the same order
 * and give them the same ids. Hidden files and folders (names starting with a dot) are skipped.
 */
public final class InputFiles {
    private InputFiles() {}

    public static List<Path> expand(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isRegularFile(input)) {
                files.add(input.normalize());
            } else if (Files.isDirectory(input)) {
                files.addAll(filesUnder(input.normalize()));
            } else {
                throw new UserError("--input " + input + " does not exist: give a text file, a .jsonl(.gz) file or"
                        + " a folder of them");
            }
        }
        return files;
    }

    private static List<Path> filesUnder(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(folder.relativize(p)))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code file} holds JSON lines (one document per line) rather than one text document. */
    public static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
    }

    public static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    /** The bytes of all {@code files}, the whole of the work for a progress bar. */
    public static long totalBytes(List<Path> files) {
        long total = 0;
        for (Path file : files) {
            try {
                total += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }
}
