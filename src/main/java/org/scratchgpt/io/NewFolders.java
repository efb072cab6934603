package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders on the way to a path that do not exist yet, noted before a command makes them, so that a command that
 * fails can remove what it made instead of leaving empty folders behind. Only these folders are ever removed: one
 * that existed before belongs to someone else.
 */
public final class NewFolders {
    private final List<Path> missing; // the deepest first

    private NewFolders(List<Path> missing) {
        this.missing = missing;
    }

    /** The folders of {@code folder}'s path, itself included, that do not exist now. */
    public static NewFolders onTheWayTo(Path folder) {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        return new NewFolders(missing);
    }

    /**
     * Removes the noted folders that are empty, the deepest first. One that something was written into stays, and
     * so do the folders above it.
     */
    public void removeEmpty() throws IOException {
        for (Path folder : missing) {
            if (!Files.exists(folder)) {
                continue; // never made: the command failed before it got there
            }
            if (!isEmptyFolder(folder)) {
                return;
            }
            Files.delete(folder);
        }
    }

    /**
     * Removes the deepest noted folder with everything in it, then the others that are left empty. Only for a
     * folder whose content this command alone wrote; the ones above may have been filled by another since.
     */
    public void removeWithContents() throws IOException {
        if (!missing.isEmpty()) {
            AtomicFiles.deleteRecursively(missing.get(0));
        }
        removeEmpty();
    }

    private static boolean isEmptyFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
