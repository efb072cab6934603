package org.scratchgpt.hf;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.CheckpointApart;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.model.Gpt;

/**
 * {@code scratchgpt export hf}: a ScratchGPT checkpoint becomes a folder HuggingFace's transformers loads with
 * {@code GPT2LMHeadModel.from_pretrained}: config.json, model.safetensors (GPT-2's original tensor names, Conv1D
 * weights (in, out), no lm_head when it is tied, as {@code save_pretrained} writes it), tokenizer.json and
 * generation_config.json. The folder is written aside and renamed into place.
 */
public final class HfExport {

    private HfExport() {}

    /**
     * What an export wrote: how many tensors, and one line for each kind of tensor the model computes with but does
     * not store, written as GPT-2 needs it (zero biases, the sinusoidal table as wpe: see {@link StandInTensors}).
     */
    public record Summary(int tensors, List<String> standIns) {}

    /** Exports {@code checkpoint} to {@code out}, which must not exist unless {@code force}. */
    public static Summary run(Path checkpoint, Path out, boolean force) throws IOException {
        // --force replaces --out: never when that would delete (or bury) the checkpoint being exported
        CheckpointApart.require("--out", out, "--checkpoint", checkpoint, "hf");
        Checkpoint.requireWholeModel(checkpoint, "exported");
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        Integer endOfText = contents.tokenizer().specialTokens().get(Gpt2TokenizerFiles.END_OF_TEXT);
        String configJson;
        try {
            configJson = HfGpt2Config.toJsonText(contents.model(), endOfText);
        } catch (UserError e) {
            throw new UserError("cannot export " + checkpoint + " as GPT-2: its " + e.getMessage(), e);
        }
        if (Files.exists(out) && !force) {
            throw new UserError(out + " already exists: give a new --out folder, or --force to replace it");
        }
        try (Model model = Model.newInstance("scratchgpt")) {
            Gpt gpt = new Gpt(contents.model());
            model.setBlock(gpt);
            Checkpoint.loadInto(model, checkpoint, new Shape(1, contents.model().contextLength()));
            var tensors = Gpt2Weights.tensors(gpt, contents.model());
            AtomicFiles.replaceDirectory(out, dir -> {
                Files.writeString(dir.resolve(Gpt2Import.CONFIG), configJson, StandardCharsets.UTF_8);
                SafetensorsWriter.write(dir.resolve(Gpt2Import.WEIGHTS), tensors);
                Files.copy(checkpoint.resolve(Checkpoint.TOKENIZER), dir.resolve(Gpt2Import.TOKENIZER));
                Files.writeString(dir.resolve("generation_config.json"), generationConfig(endOfText),
                        StandardCharsets.UTF_8);
            });
            return new Summary(tensors.size(), StandInTensors.notes(contents.model()));
        }
    }

    /** What {@code generate} starts and stops with: GPT-2's one special token, when the tokenizer has it. */
    private static String generationConfig(Integer endOfText) {
        JsonObject json = new JsonObject();
        if (endOfText != null) {
            json.addProperty("bos_token_id", endOfText);
            json.addProperty("eos_token_id", endOfText);
        }
        return new GsonBuilder().setPrettyPrinting().create().toJson(json);
    }
}
