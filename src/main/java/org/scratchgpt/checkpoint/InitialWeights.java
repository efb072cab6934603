package org.scratchgpt.checkpoint;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Sha256;

/**
 * The checkpoint a fine-tuning run starts from: its weights replace the random initialisation, while the
 * optimizer, the schedule and the step count start fresh (unlike a resumed run, which continues all of them).
 * Read and checked (manifest, config, tokenizer) when made, so a missing or damaged checkpoint is refused before
 * any work; the weights themselves are loaded by {@code training.TrainingRun} once the model exists.
 *
 * <p>Loading is this one step on purpose: a fine-tuning variant that changes what is trained (adapters on a
 * frozen base) changes what happens after {@link #loadInto}, not how the source is found and recorded.
 *
 * @param source the checkpoint's description (its config, tokenizer and state)
 * @param weightsSha256 the SHA-256 of its weights file, for {@link FinetunedFrom}
 */
public record InitialWeights(Checkpoint.Contents source, String weightsSha256) {

    /** The checkpoint in {@code dir}, read and checked; a run folder, a missing or a damaged one is a UserError. */
    public static InitialWeights of(Path dir) throws IOException {
        return SwapSafeRead.of(dir, () -> readOnce(dir)); // the state and the weights' hash of one checkpoint
    }

    private static InitialWeights readOnce(Path dir) throws IOException {
        Checkpoint.Contents contents = Checkpoint.read(dir);
        Path weights = Checkpoint.parametersFileIn(dir);
        // Checked now, not only when loaded: damaged weights are then refused before libtorch loads. The check gives
        // the hash the provenance records; a checkpoint from before manifests is hashed here.
        Optional<Manifest> manifest = Manifest.read(dir);
        String weightsSha256 = manifest.isPresent() ? manifest.get().verify(weights.getFileName().toString())
                : Sha256.of(weights);
        return new InitialWeights(contents, weightsSha256);
    }

    /** What the fine-tuned checkpoints record about where they started. */
    public FinetunedFrom provenance() {
        return new FinetunedFrom(source.dir().toAbsolutePath().normalize().toString(), source.state().step(),
                weightsSha256);
    }

    /** Gives {@code model} (the source's GPT, not yet trained) the source's weights for batches of {@code batchShape}. */
    public void loadInto(Model model, Shape batchShape) throws IOException {
        Optional<String> loaded = Checkpoint.loadWeightsInto(model, source.dir(), batchShape);
        requireRecorded(loaded);
    }

    /**
     * The weights loaded must be those read and recorded when this was made: a live run may have swapped in a newer
     * checkpoint since (each read is safe on its own, see {@code SwapSafeRead}), and the provenance would then name
     * other weights than the ones fine-tuned. Said, never silently recorded wrong.
     */
    private void requireRecorded(Optional<String> loadedSha256) {
        if (loadedSha256.isPresent() && !loadedSha256.get().equals(weightsSha256)) {
            throw new UserError("checkpoint " + source.dir() + " was replaced by a newer one of its run (still training)"
                    + " while the fine-tuning started, so its weights are not the ones read: run the command again, or"
                    + " fine-tune from a copy of the checkpoint");
        }
    }

    /** The run folder the source checkpoint belongs to ({@code models/baby} for {@code models/baby/best}). */
    public Path runFolder() {
        return source.dir().toAbsolutePath().normalize().getParent();
    }

    /**
     * Refuses a fine-tuning run folder that is, holds or lies inside this checkpoint or its run folder: the run's
     * checkpoints would replace (and with --overwrite, delete) the very model it starts from.
     */
    public void requireOutside(Path runDir) {
        CheckpointApart.require("--out", runDir, "--from", source.dir(), "finetuned");
    }
}
