package org.scratchgpt.lora;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.CheckpointApart;
import org.scratchgpt.checkpoint.ImportedRun;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Overwrite;

/**
 * Folding the adapters into the weights: each adapted matrix becomes W + scale · B·A, and the model is an ordinary
 * GPT again, as fast as the base and loadable by everything that loads a checkpoint. Since W x + scale · B(A x) =
 * (W + scale · B·A) x, the merged model computes what base plus adapters computed, up to float rounding.
 *
 * <p>A tied head (GPT-2's, where the output head is the token embedding) is the one matrix used twice: LoRA on
 * {@code head} adapts only its use as the head. Adding B·A into the shared matrix would change the embeddings too,
 * so the merged model unties them: the embedding keeps E, the head gets its own E + scale · B·A, and its config
 * says {@code tied_embeddings: false} (V x C more numbers).
 */
public final class LoraMerge {
    private LoraMerge() {}

    /** The config of the merged model: the base's, untied when a tied head was adapted. */
    public static GptConfig mergedConfig(Gpt adapted) {
        GptConfig config = adapted.config();
        boolean adaptsTiedHead = config.tiedEmbeddings()
                && LoraModel.settingsOf(adapted).map(settings -> settings.adapts(LoraTarget.HEAD)).orElse(false);
        return adaptsTiedHead ? config.withOverrides(Map.of("tied_embeddings", "false")) : config;
    }

    /**
     * Sets every weight of {@code merged}, a plain GPT of {@link #mergedConfig} that is initialised, to the LoRA
     * model's base weight plus its adapter's update.
     */
    public static void into(Gpt adapted, Gpt merged) {
        var base = adapted.getParameters();
        Map<Parameter, String> names = new IdentityHashMap<>();
        base.forEach(pair -> names.put(pair.getValue(), pair.getKey()));
        String tiedMatrix = null;   // the tied (V, C) matrix's name, when merging unties it
        String ownHead = null;      // the merged head's own matrix: the one name the tied model lacks
        for (Pair<String, Parameter> target : merged.getParameters()) {
            if (base.get(target.getKey()) == null) {
                ownHead = target.getKey();
            }
        }
        for (LoraAdapter adapter : LoraModel.adapters(adapted)) {
            if (ownHead != null && adapter.target() == LoraTarget.HEAD) {
                tiedMatrix = names.get(adapter.adapted());
            }
        }
        for (Pair<String, Parameter> target : merged.getParameters()) {
            String source = target.getKey().equals(ownHead) ? tiedMatrix : target.getKey();
            Overwrite.with(target.getValue().getArray(), base.get(source).getArray());
        }
        for (LoraAdapter adapter : LoraModel.adapters(adapted)) {
            String name = names.get(adapter.adapted());
            // the tied matrix's update goes to the head's own copy, so the embedding stays as it was
            String target = name.equals(tiedMatrix) ? ownHead : name;
            try (NDArray delta = adapter.delta()) {                              // (out, in)
                merged.getParameters().get(target).getArray().addi(delta);      // W + scale · B·A
            }
        }
    }

    /**
     * {@code scratchgpt lora merge}: the LoRA checkpoint {@code adapterDir} (its base where its reference says, or
     * at {@code movedBase}) merged into an ordinary model, written as the run folder {@code out} (latest/ and best/,
     * {@link ImportedRun}), which must not exist. The new run starts a fresh history (step 0) with the LoRA run's
     * training settings, like an imported model; returns its config.
     */
    public static GptConfig run(Path adapterDir, Optional<Path> movedBase, Path out) throws IOException {
        CheckpointApart.require("--out", out, "--adapter", adapterDir, "merged");
        if (Files.exists(out)) {
            throw new UserError(out + " already exists: give a new --out folder (merging never overwrites a model)");
        }
        Checkpoint.Contents contents = Checkpoint.read(adapterDir);
        if (!LoraCheckpoint.isLora(adapterDir)) {
            throw new UserError(adapterDir + " is a whole model, not a LoRA checkpoint (it has no "
                    + LoraCheckpoint.SETTINGS + "): there is nothing to merge; use it as it is");
        }
        Path base = movedBase.orElse(Path.of(contents.state().finetunedFrom().orElseThrow().checkpoint()));
        CheckpointApart.require("--out", out, movedBase.isPresent() ? "--base" : "the base checkpoint", base, "merged");
        Shape oneWindow = new Shape(1, contents.model().contextLength());
        try (Model adaptedModel = Model.newInstance("lora", Device.cpu());
             Model mergedModel = Model.newInstance("merged", Device.cpu())) {
            Gpt adapted = LoraCheckpoint.newGpt(contents, Compute.REFERENCE);
            adaptedModel.setBlock(adapted);
            LoraCheckpoint.loadInto(adaptedModel, contents, oneWindow, movedBase);
            GptConfig config = mergedConfig(adapted);
            Gpt merged = new Gpt(config);
            mergedModel.setBlock(merged);
            merged.initialize(mergedModel.getNDManager(), DataType.FLOAT32, oneWindow);
            into(adapted, merged);
            LoraSettings settings = LoraModel.settingsOf(adapted).orElseThrow();
            String card = "# Merged LoRA model\n\nThe LoRA adapters of " + adapterDir.toAbsolutePath().normalize()
                    + " (" + settings.toJsonObject() + ", step " + contents.state().step()
                    + ") added into the weights of " + contents.state().finetunedFrom().orElseThrow().describe()
                    + ".\n";
            // A run folder, as import writes one: sample, export and finetune take its best/.
            new ImportedRun(contents.state().preset(), contents.training(), adapterDir.resolve(Checkpoint.TOKENIZER),
                    card).write(out, mergedModel, config);
            return config;
        }
    }
}
