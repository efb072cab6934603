package org.scratchgpt.checkpoint;

import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.io.OutputPaths;

/**
 * An output kept apart from a checkpoint that the same command reads: not the checkpoint itself, not a folder
 * around it, not a folder inside it, and, when it is a run's {@code best/} or {@code latest/}, not inside that run
 * folder either (training owns it: its checkpoints, metrics and data). An export with {@code --force} used to
 * delete the very checkpoint it exported when pointed at it.
 */
public final class CheckpointApart {
    private CheckpointApart() {}

    /**
     * Refuses {@code out} when it overlaps {@code checkpoint} or its run folder, in one line that ends with a
     * folder that would do: beside the run folder (or the checkpoint), its name with {@code -suffix}.
     *
     * @param outOption the output's option, e.g. "--out"
     * @param checkpointOption the checkpoint's option, e.g. "--checkpoint"
     * @param suffix what the example output's name ends with, e.g. "hf" for models/baby-hf
     */
    public static void require(String outOption, Path out, String checkpointOption, Path checkpoint, String suffix) {
        Optional<Path> runFolder = runFolderOf(checkpoint);
        Path outermost = runFolder.orElse(checkpoint.toAbsolutePath().normalize());
        String fix = "give " + outOption + " a path outside " + outermost + ", e.g. "
                + outermost.resolveSibling(outermost.getFileName() + "-" + suffix);
        OutputPaths.requireApart(outOption + " " + out, out, checkpointOption + " " + checkpoint, checkpoint, fix);
        runFolder.ifPresent(run -> OutputPaths.requireApart(outOption + " " + out, out, "the run folder " + run
                + " of " + checkpointOption + " " + checkpoint, run, fix));
    }

    /** The run folder of a run's {@code best/} or {@code latest/} ({@code models/baby}); empty for any other folder. */
    public static Optional<Path> runFolderOf(Path checkpoint) {
        Path absolute = checkpoint.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        boolean ofARun = name != null && absolute.getParent() != null
                && (name.toString().equals(RunFolder.BEST) || name.toString().equals(RunFolder.LATEST));
        return ofARun ? Optional.of(absolute.getParent()) : Optional.empty();
    }
}
