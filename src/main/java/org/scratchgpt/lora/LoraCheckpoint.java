package org.scratchgpt.lora;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.FinetunedFrom;
import org.scratchgpt.checkpoint.Manifest;
import org.scratchgpt.io.Failures;
import org.scratchgpt.io.Sha256;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;

/**
 * A LoRA run's checkpoint: an ordinary checkpoint folder (config, tokenizer, optimizer, state, metrics, manifest)
 * whose weights file is replaced by the adapters alone, plus their settings:
 *
 * <pre>
 *   lora.json      rank, alpha, dropout, targets
 *   adapters.bin   A and B of every adapter ({@link AdapterFile}); the optimizer file holds their moments only
 * </pre>
 *
 * The base weights are not copied: state.json's {@code finetuned_from} names the base checkpoint's folder and the
 * SHA-256 of its weights file. Loading checks that hash, so adapters are never applied to weights they were not
 * trained on; a base that moved is given with {@code --base DIR}, and is accepted if its hash is the same.
 */
public final class LoraCheckpoint {
    public static final String SETTINGS = Checkpoint.ADAPTER_SETTINGS;

    private LoraCheckpoint() {}

    /** Whether the checkpoint in {@code dir} holds LoRA adapters rather than a whole model. */
    public static boolean isLora(Path dir) {
        return Files.isRegularFile(dir.resolve(SETTINGS));
    }

    /** A LoRA run's checkpoints hold only its adapters: {@link #write}. */
    public static final Checkpoint.WeightsWriter ADAPTERS_ONLY = (dir, model, step) -> write(dir, (Gpt) model.getBlock());

    /** Writes lora.json and adapters.bin into {@code dir}; returns their names, for the manifest. */
    public static List<String> write(Path dir, Gpt gpt) throws IOException {
        LoraSettings settings = LoraModel.settingsOf(gpt)
                .orElseThrow(() -> new IllegalStateException("the model has no adapters"));
        Files.writeString(dir.resolve(SETTINGS),
                new GsonBuilder().setPrettyPrinting().create().toJson(settings.toJsonObject()), StandardCharsets.UTF_8);
        AdapterFile.write(dir.resolve(AdapterFile.NAME), gpt);
        return List.of(SETTINGS, AdapterFile.NAME);
    }

    /** The LoRA settings of the checkpoint in {@code dir}, checked against its manifest; empty for a whole model. */
    public static Optional<LoraSettings> settingsIn(Path dir) throws IOException {
        if (!isLora(dir)) {
            return Optional.empty();
        }
        Path file = verified(dir, SETTINGS);
        try {
            return Optional.of(LoraSettings.fromJsonObject(
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject()));
        } catch (RuntimeException e) {
            throw new UserError(file + " does not hold LoRA settings (" + Failures.why(e)
                    + "): use the checkpoint folder the LoRA run wrote", e);
        }
    }

    /** The GPT the checkpoint describes: with its adapters when it is a LoRA checkpoint. Not yet initialised. */
    public static Gpt newGpt(Checkpoint.Contents contents, Compute compute) throws IOException {
        Gpt gpt = new Gpt(contents.model(), compute);
        Optional<LoraSettings> lora = settingsIn(contents.dir());
        return lora.isPresent() ? LoraModel.adapt(gpt, lora.get()) : gpt;
    }

    /**
     * Loads a checkpoint into {@code model}, whose block is {@link #newGpt}'s: a whole model as it is, a LoRA one
     * as its base (found by its reference, or at {@code movedBase}) plus its adapters, the base frozen.
     */
    public static void loadInto(Model model, Checkpoint.Contents contents, Shape inputShape, Optional<Path> movedBase)
            throws IOException {
        if (!isLora(contents.dir())) {
            Checkpoint.loadInto(model, contents.dir(), inputShape);
            return;
        }
        LoraModel.loadBase(model, verifiedBase(contents, movedBase), inputShape);
        AdapterFile.read(verified(contents.dir(), AdapterFile.NAME), (Gpt) model.getBlock());
    }

    /**
     * The base checkpoint of a LoRA checkpoint, checked to hold the very weights the adapters were trained on:
     * {@code movedBase} when given, else the folder state.json names.
     */
    public static Path verifiedBase(Checkpoint.Contents contents, Optional<Path> movedBase) throws IOException {
        FinetunedFrom reference = contents.state().finetunedFrom().orElseThrow(() -> new UserError(
                "the LoRA checkpoint " + contents.dir() + " does not name its base model (state.json has no"
                        + " finetuned_from): use the checkpoint folder the LoRA run wrote"));
        Path base = movedBase.orElse(Path.of(reference.checkpoint()));
        String fix = "pass --base DIR with the checkpoint the adapters were trained on (weights SHA-256 "
                + reference.weightsSha256() + ")";
        if (!Files.isDirectory(base)) {
            throw new UserError("the base model of the LoRA checkpoint " + contents.dir() + ", " + base
                    + ", is not there (moved or deleted): " + fix);
        }
        String sha256 = Sha256.of(Checkpoint.parametersFileIn(base));
        if (!sha256.equals(reference.weightsSha256())) {
            throw new UserError("the base model " + base + " is not the one the LoRA adapters in " + contents.dir()
                    + " were trained on: its weights have SHA-256 " + sha256 + " (changed or retrained since); " + fix);
        }
        return base;
    }

    private static Path verified(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new UserError("the LoRA checkpoint " + dir + " has no " + name
                    + ": it is not complete; use another checkpoint of the run, e.g. best/ or latest/");
        }
        Optional<Manifest> manifest = Manifest.read(dir);
        if (manifest.isPresent()) {
            manifest.get().verify(name);
        }
        return file;
    }
}
