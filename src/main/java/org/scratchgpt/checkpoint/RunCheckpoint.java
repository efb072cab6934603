package org.scratchgpt.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoint a command takes when it is given a run folder ({@code models/baby}) where a checkpoint is expected:
 * {@code best/} to use the model (sample, chat, export, fine-tune from, merge), {@code latest/} to continue its run
 * (resume), since that is where the run stopped. A checkpoint folder is taken as it is. The command says which one
 * it took ({@link #note}), so that nobody wonders which model answered.
 *
 * @param checkpoint the checkpoint folder to read
 * @param note what was chosen and why, when the path given was a run folder
 */
public record RunCheckpoint(Path checkpoint, Optional<String> note) {

    /** The checkpoint to use a model from: {@code given}, or the run folder's best/ (latest/ if it has no best/). */
    public static RunCheckpoint toUse(Path given) {
        if (!isRunFolder(given)) {
            return new RunCheckpoint(given, Optional.empty());
        }
        Path best = given.resolve(RunFolder.BEST);
        if (Files.isDirectory(best)) {
            return chosen(best, "the run's best checkpoint, by val loss");
        }
        return chosen(given.resolve(RunFolder.LATEST), "the run's latest checkpoint: it has no best/ yet");
    }

    /** The checkpoint to continue a run from: {@code given}, or the run folder's latest/, where the run stopped. */
    public static RunCheckpoint toResume(Path given) {
        if (!isRunFolder(given)) {
            return new RunCheckpoint(given, Optional.empty());
        }
        return chosen(given.resolve(RunFolder.LATEST), "the run's latest checkpoint, where it stopped");
    }

    private static RunCheckpoint chosen(Path checkpoint, String why) {
        return new RunCheckpoint(checkpoint, Optional.of("using " + checkpoint + " (" + why + ")"));
    }

    /** A folder that holds a run's checkpoints rather than being one: no config.json, a latest/ or best/. */
    static boolean isRunFolder(Path dir) {
        return Files.isDirectory(dir) && !Files.exists(dir.resolve(Checkpoint.CONFIG))
                && (Files.isDirectory(dir.resolve(RunFolder.LATEST)) || Files.isDirectory(dir.resolve(RunFolder.BEST)));
    }
}
