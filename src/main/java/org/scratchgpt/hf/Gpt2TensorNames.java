package org.scratchgpt.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.scratchgpt.model.GptConfig;

/**
 * Which HuggingFace GPT-2 tensor is which ScratchGPT parameter. GPT-2's names come from OpenAI's TensorFlow code
 * ({@code wte}: word token embedding, {@code h.N}: hidden layer N, {@code c_attn}: the fused q/k/v projection...);
 * ScratchGPT's are its blocks' names as DJL joins them ({@code layer0_attention_queryKeyValue_weight}), without
 * the child numbers DJL puts in front of each ({@code 04layer0_02attention_...}, see {@link #withoutChildNumbers}).
 *
 * <p>HuggingFace keeps GPT-2's four projections in {@code Conv1D} layers, which compute x @ W + b with W stored
 * (in, out), as TensorFlow did; a DJL {@code Linear} computes x @ W^T + b with W stored (out, in), like PyTorch's
 * {@code nn.Linear}. Those four weights are therefore transposed on the way in and on the way out
 * ({@link Mapping#transposed}); every other tensor is stored the same way in both.
 */
public final class Gpt2TensorNames {

    /**
     * One tensor: its HuggingFace name (original layout, without {@code transformer.}), its ScratchGPT name, and
     * whether it is a Conv1D weight, stored transposed.
     */
    public record Mapping(String hfName, String scratchName, boolean transposed) {}

    /** The attention buffers published files carry besides the parameters: causal masks, not weights. */
    private static final Pattern BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private static final Pattern CHILD_NUMBER = Pattern.compile("(^|_)\\d{2,}(?=[A-Za-z])");

    private Gpt2TensorNames() {}

    /** Every tensor of a GPT-2 of {@code config}, in the order HuggingFace writes them. */
    public static List<Mapping> of(GptConfig config) {
        List<Mapping> all = new ArrayList<>();
        all.add(new Mapping("wte.weight", "tokenEmbedding_weight", false));
        all.add(new Mapping("wpe.weight", "positions_weight", false));
        for (int i = 0; i < config.layers(); i++) {
            String h = "h." + i + ".";
            String layer = "layer" + i + "_";
            all.add(new Mapping(h + "ln_1.weight", layer + "attentionNorm_weight", false));
            all.add(new Mapping(h + "ln_1.bias", layer + "attentionNorm_bias", false));
            all.add(new Mapping(h + "attn.c_attn.weight", layer + "attention_queryKeyValue_weight", true));
            all.add(new Mapping(h + "attn.c_attn.bias", layer + "attention_queryKeyValue_bias", false));
            all.add(new Mapping(h + "attn.c_proj.weight", layer + "attention_outputProjection_weight", true));
            all.add(new Mapping(h + "attn.c_proj.bias", layer + "attention_outputProjection_bias", false));
            all.add(new Mapping(h + "ln_2.weight", layer + "feedForwardNorm_weight", false));
            all.add(new Mapping(h + "ln_2.bias", layer + "feedForwardNorm_bias", false));
            all.add(new Mapping(h + "mlp.c_fc.weight", layer + "feedForward_widen_weight", true));
            all.add(new Mapping(h + "mlp.c_fc.bias", layer + "feedForward_widen_bias", false));
            all.add(new Mapping(h + "mlp.c_proj.weight", layer + "feedForward_narrow_weight", true));
            all.add(new Mapping(h + "mlp.c_proj.bias", layer + "feedForward_narrow_bias", false));
        }
        all.add(new Mapping("ln_f.weight", "finalNorm_weight", false));
        all.add(new Mapping("ln_f.bias", "finalNorm_bias", false));
        if (!config.tiedEmbeddings()) {
            all.add(new Mapping(LM_HEAD, "head_weight", false));
        }
        return all;
    }

    /** The output head's name; it sits outside {@code transformer.} in both layouts. */
    public static final String LM_HEAD = "lm_head.weight";

    /** A mask buffer ({@code h.N.attn.bias}, {@code h.N.attn.masked_bias}), known and skipped. */
    public static boolean isBuffer(String hfName) {
        return BUFFER.matcher(hfName).matches();
    }

    /** A DJL parameter name without the child numbers: {@code 04layer0_02attention_01queryKeyValue_weight} -> ... */
    public static String withoutChildNumbers(String djlName) {
        return CHILD_NUMBER.matcher(djlName).replaceAll("$1");
    }
}
