package org.scratchgpt.hf;

import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.SinusoidalPositionalEncoding;

/**
 * The GPT-2 tensors a ScratchGPT model computes with but does not store. GPT-2's layout always has a bias in every
 * projection and LayerNorm, and always adds a position table ({@code wpe}). A model with {@code bias=false} adds
 * nothing there, which is exactly adding a bias of zeros; a model with sinusoidal positions adds a fixed table,
 * which is exactly a {@code wpe} holding those numbers. Exporting these stand-ins lets GPT-2's layout carry such a
 * model with the same logits. Rotary positions have no stand-in: they turn queries and keys inside attention, and
 * nothing in GPT-2's layout does that.
 */
final class StandInTensors {

    private StandInTensors() {}

    /** The values of GPT-2 tensor {@code hfName} (of {@code length} numbers) that the model leaves out. */
    static float[] values(String hfName, long length, GptConfig config) {
        if (hfName.endsWith(".bias") && !config.bias()) {
            return new float[Math.toIntExact(length)]; // zeros: adding them changes nothing
        }
        if (hfName.equals("wpe.weight") && config.positionalEncoding() == PositionalEncoding.SINUSOIDAL) {
            return SinusoidalPositionalEncoding.tableValues(config.contextLength(), config.embeddingWidth());
        }
        throw new IllegalStateException("the model has no parameter for GPT-2's " + hfName + " and no stand-in for it");
    }

    /** One line per kind of stand-in {@code config} needs, for the person exporting: what was written instead. */
    static List<String> notes(GptConfig config) {
        List<String> notes = new ArrayList<>();
        if (!config.bias()) {
            notes.add("bias is false: GPT-2's biases are written as zeros (adding zero adds nothing), so the logits are"
                    + " the same");
        }
        if (config.positionalEncoding() == PositionalEncoding.SINUSOIDAL) {
            notes.add("positional_encoding is sinusoidal: its fixed table is written as GPT-2's position table (wpe),"
                    + " so the logits are the same (fine-tuned in transformers, wpe would learn)");
        }
        return notes;
    }
}
