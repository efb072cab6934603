package org.scratchgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.scratchgpt.checkpoint.RunCheckpoint;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A checkpoint option that also takes a run folder ({@link RunCheckpoint}): the checkpoint chosen is said in one line
 * on standard error, apart from what the command prints (sample's output is the generated text).
 */
final class CheckpointArgument {
    private CheckpointArgument() {}

    /** The checkpoint to use a model from: {@code given}, or its run's best/. */
    static Path toUse(CommandSpec spec, Path given) {
        return said(spec, RunCheckpoint.toUse(given));
    }

    /** The checkpoint to continue a run from: {@code given}, or its run's latest/. */
    static Path toResume(CommandSpec spec, Path given) {
        return said(spec, RunCheckpoint.toResume(given));
    }

    private static Path said(CommandSpec spec, RunCheckpoint choice) {
        choice.note().ifPresent(note -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println(note);
            err.flush();
        });
        return choice.checkpoint();
    }
}
