package org.scratchgpt.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.scratchgpt.model.GeluForm;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;

/**
 * The TorchScript source of a GPT of a given config: the same computation as {@link org.scratchgpt.model.Gpt},
 * written as one class whose weights are attributes named as ScratchGPT's parameters
 * ({@code layer0_attention_queryKeyValue_weight}). libtorch compiles it when the module file is loaded.
 *
 * <p>Its {@code forward} follows the contract of DJL's text generation ({@code PtGptTranslator}): input ids
 * (B, T), position ids (B, T), an attention mask (B, P + T) of 1 (attend) and 0 (padding), and each layer's past
 * keys and values (B, nh, P, hs) as a tuple of (key, value) pairs; it returns the logits (B, T, V) and the keys
 * and values (B, nh, P + T, hs) the next step passes back, then the last hidden state (B, T, C), which DJL's
 * contrastive search uses. Everything after the ids is optional: {@code
 * forward(ids)} is the plain model, positions 0..T-1, no cache.
 *
 * <p>Each operation mirrors the Java blocks' (the same libtorch kernels in the same order), so the logits agree
 * with ScratchGPT's to float32 rounding (ids beyond the tokenizer's, if the vocabulary is padded, score minus
 * infinity: see {@link #source}).
 */
public final class GptTorchScript {

    /** The class name; the module file's entries sit in the folder of the same name, lower-cased. */
    public static final String CLASS_NAME = "ScratchGpt";

    private final GptConfig config;
    private final int tokenizerVocabSize;
    private final Precision precision;

    private GptTorchScript(GptConfig config, int tokenizerVocabSize, Precision precision) {
        this.config = config;
        this.tokenizerVocabSize = tokenizerVocabSize;
        this.precision = precision;
    }

    /**
     * The source for {@code config}, whose tokenizer has {@code tokenizerVocabSize} tokens. A vocabulary padded
     * beyond the tokenizer's (nanoGPT pads GPT-2's 50257 to 50304) has ids no text maps to; the module scores them
     * minus infinity, so that DJL's generators never pick one, as ScratchGPT's sampler never does.
     */
    public static String source(GptConfig config, int tokenizerVocabSize) {
        return source(config, tokenizerVocabSize, Precision.FP32);
    }

    /**
     * As above, computing in {@code precision}: in a 16-bit format the matrix products (every Linear, the head)
     * and attention run as ScratchGPT runs them with {@code --precision} (see {@code model/TorchKernels}): inputs
     * and weights cast to 16 bits, results back to float32, attention as one fused kernel. Weights, layer norms,
     * the cache and the logits stay float32.
     */
    public static String source(GptConfig config, int tokenizerVocabSize, Precision precision) {
        if (tokenizerVocabSize < 1 || tokenizerVocabSize > config.vocabSize()) {
            throw new IllegalArgumentException("a tokenizer of " + tokenizerVocabSize + " tokens for a vocab_size of "
                    + config.vocabSize());
        }
        return new GptTorchScript(config, tokenizerVocabSize, precision).classSource();
    }

    /** The learned weights the class declares, in ScratchGPT's names (a tied head has no weight of its own). */
    public static List<String> parameterNames(GptConfig config) {
        List<String> names = new ArrayList<>();
        names.add("tokenEmbedding_weight");
        if (config.positionalEncoding() == PositionalEncoding.LEARNED) {
            names.add("positions_weight");
        }
        for (int i = 0; i < config.layers(); i++) {
            for (String part : List.of("attentionNorm", "attention_queryKeyValue", "attention_outputProjection",
                    "feedForwardNorm", "feedForward_widen", "feedForward_narrow")) {
                names.add("layer" + i + "_" + part + "_weight");
                if (config.bias()) {
                    names.add("layer" + i + "_" + part + "_bias");
                }
            }
        }
        names.add("finalNorm_weight");
        if (config.bias()) {
            names.add("finalNorm_bias");
        }
        if (!config.tiedEmbeddings()) {
            names.add("head_weight");
        }
        return names;
    }

    /**
     * The fixed tables the class declares as buffers: the sinusoidal table (context_length, C), or rotary's
     * cosines and sines (context_length, hs/2); none for learned positions.
     */
    public static List<String> bufferNames(GptConfig config) {
        return switch (config.positionalEncoding()) {
            case LEARNED -> List.of();
            case SINUSOIDAL -> List.of(SINUSOIDAL_TABLE);
            case ROTARY -> List.of(ROTARY_COS, ROTARY_SIN);
        };
    }

    public static final String SINUSOIDAL_TABLE = "positions_table";
    public static final String ROTARY_COS = "rotary_cos";
    public static final String ROTARY_SIN = "rotary_sin";

    private String classSource() {
        List<String> parameters = parameterNames(config);
        List<String> buffers = bufferNames(config);
        StringBuilder s = new StringBuilder();
        s.append("class ").append(CLASS_NAME).append("(Module):\n");
        s.append("  __parameters__ = ").append(pythonList(parameters)).append("\n");
        s.append("  __buffers__ = ").append(pythonList(buffers)).append("\n");
        s.append("  training : bool\n");
        for (String name : parameters) {
            s.append("  ").append(name).append(" : Tensor\n");
        }
        for (String name : buffers) {
            s.append("  ").append(name).append(" : Tensor\n");
        }
        s.append(forward().indent(2));
        s.append(causalMask().indent(2));
        s.append(layer().indent(2));
        s.append(attention().indent(2));
        if (config.positionalEncoding() == PositionalEncoding.ROTARY) {
            s.append(rotate().indent(2));
        }
        s.append(feedForward().indent(2));
        s.append(linear().indent(2));
        return s.toString();
    }

    private static String pythonList(List<String> names) {
        return names.stream().map(n -> "\"" + n + "\", ").collect(Collectors.joining("", "[", "]"));
    }

    /** Tuple[Tuple[Tensor, Tensor], ...], one pair per layer: the type of the cache in and out. */
    private String pastType() {
        return IntStream.range(0, config.layers()).mapToObj(i -> "Tuple[Tensor, Tensor]")
                .collect(Collectors.joining(", ", "Tuple[", "]"));
    }

    private String forward() {
        String past = pastType();
        StringBuilder s = new StringBuilder();
        s.append("def forward(self, input_ids: Tensor, position_ids: Optional[Tensor]=None,"
                + " attention_mask: Optional[Tensor]=None, past_key_values: Optional[" + past + "]=None)"
                + " -> Tuple[Tensor, " + past + ", Tensor]:\n");
        s.append(" b = input_ids.size(0)\n");
        s.append(" t = input_ids.size(1)\n");
        s.append(" if past_key_values is None:\n");
        s.append("  empty = self.tokenEmbedding_weight.new_zeros([b, " + config.heads() + ", 0, " + config.headSize()
                + "])  # (B, nh, 0, hs), nothing cached; the weights' type and device\n");
        s.append("  past = " + IntStream.range(0, config.layers()).mapToObj(i -> "(empty, empty)")
                .collect(Collectors.joining(", ", "(", config.layers() == 1 ? ",)" : ")")) + "\n");
        s.append(" else:\n");
        s.append("  past = past_key_values\n");
        s.append(" p = past[0][0].size(2)  # P, the positions already cached\n");
        s.append(" if position_ids is None:\n");
        s.append("  positions = torch.arange(p, p + t, device=input_ids.device).unsqueeze(0)  # (1, T)\n");
        s.append(" else:\n");
        s.append("  positions = position_ids  # (B, T)\n");
        s.append(" mask = self.causal_mask(t, p, attention_mask, input_ids.device)  # (T, P + T) or (B, 1, T, P + T)\n");
        s.append(" x = torch.embedding(self.tokenEmbedding_weight, input_ids)  # (B, T) -> (B, T, C)\n");
        switch (config.positionalEncoding()) {
            case LEARNED -> s.append(" x = x + self.positions_weight[positions]  # + (B or 1, T, C)\n");
            case SINUSOIDAL -> s.append(" x = x + self." + SINUSOIDAL_TABLE + "[positions]  # + (B or 1, T, C)\n");
            case ROTARY -> { } // rotary turns q and k inside attention instead
        }
        for (int i = 0; i < config.layers(); i++) {
            String l = "self.layer" + i + "_";
            s.append(" x, k" + i + ", v" + i + " = self.layer(x, mask, positions, past[" + i + "][0], past[" + i
                    + "][1], " + l + "attentionNorm_weight, " + bias(l + "attentionNorm") + ", "
                    + l + "attention_queryKeyValue_weight, " + bias(l + "attention_queryKeyValue") + ", "
                    + l + "attention_outputProjection_weight, " + bias(l + "attention_outputProjection") + ", "
                    + l + "feedForwardNorm_weight, " + bias(l + "feedForwardNorm") + ", "
                    + l + "feedForward_widen_weight, " + bias(l + "feedForward_widen") + ", "
                    + l + "feedForward_narrow_weight, " + bias(l + "feedForward_narrow") + ")\n");
        }
        s.append(" x = torch.layer_norm(x, [" + config.embeddingWidth() + "], self.finalNorm_weight, "
                + bias("self.finalNorm") + ", " + epsilon() + ")  # (B, T, C)\n");
        String head = config.tiedEmbeddings() ? "self.tokenEmbedding_weight" : "self.head_weight";
        s.append(" logits = self.head(x, " + head + ")  # (B, T, C) @ (C, V) -> (B, T, V)\n");
        if (tokenizerVocabSize < config.vocabSize()) {
            s.append(" logits[:, :, " + tokenizerVocabSize + ":].fill_(float(\"-inf\"))"
                    + "  # padding ids, which no text maps to: never predicted\n");
        }
        s.append(" # The last hidden state (B, T, C) is what DJL's contrastive search compares candidates by.\n");
        s.append(" return (logits, " + IntStream.range(0, config.layers()).mapToObj(i -> "(k" + i + ", v" + i + ")")
                .collect(Collectors.joining(", ", "(", config.layers() == 1 ? ",), x)" : "), x)")) + "\n");
        return s.toString();
    }

    /** The bias attribute {@code prefix_bias}, or None when the config has no biases. */
    private String bias(String prefix) {
        return config.bias() ? prefix + "_bias" : "None";
    }

    /** The epsilon as ScratchGPT's LayerNorm passes it: rounded to float32 first. */
    private String epsilon() {
        return Double.toString((float) config.layerNormEpsilon());
    }

    private static String causalMask() {
        return """
                def causal_mask(self, t: int, p: int, attention_mask: Optional[Tensor], device: Device) -> Tensor:
                 # Added to the scores: 0 where new position P + i may look at key j (j <= P + i), -inf above.
                 causal = torch.triu(torch.full([t, p + t], float("-inf"), device=device), p + 1)  # (T, P + T)
                 if attention_mask is None:
                  return causal
                 # Padding (mask 0) is hidden from every query: -inf in its column.
                 hidden = torch.zeros(attention_mask.size(), device=device).masked_fill(attention_mask == 0, float("-inf"))
                 return causal + hidden.unsqueeze(1).unsqueeze(1)  # (T, P + T) + (B, 1, 1, P + T) -> (B, 1, T, P + T)
                """;
    }

    private String layer() {
        return """
                def layer(self, x: Tensor, mask: Tensor, positions: Tensor, past_k: Tensor, past_v: Tensor,
                          ln1_w: Tensor, ln1_b: Optional[Tensor], qkv_w: Tensor, qkv_b: Optional[Tensor],
                          proj_w: Tensor, proj_b: Optional[Tensor], ln2_w: Tensor, ln2_b: Optional[Tensor],
                          widen_w: Tensor, widen_b: Optional[Tensor], narrow_w: Tensor, narrow_b: Optional[Tensor]
                          ) -> Tuple[Tensor, Tensor, Tensor]:
                 # Pre-norm residuals, as TransformerBlock: x + attn(ln1(x)), then x + mlp(ln2(x)).
                 normed = torch.layer_norm(x, [{C}], ln1_w, ln1_b, {EPS})  # (B, T, C)
                 attended, k, v = self.attention(normed, mask, positions, past_k, past_v, qkv_w, qkv_b, proj_w, proj_b)
                 x = x + attended  # (B, T, C)
                 normed = torch.layer_norm(x, [{C}], ln2_w, ln2_b, {EPS})  # (B, T, C)
                 return (x + self.feed_forward(normed, widen_w, widen_b, narrow_w, narrow_b), k, v)
                """.replace("{EPS}", epsilon()).replace("{C}", Integer.toString(config.embeddingWidth()));
    }

    private String attention() {
        int c = config.embeddingWidth();
        String rotate = config.positionalEncoding() == PositionalEncoding.ROTARY
                ? " q = self.rotate(q, positions)  # (B, nh, T, hs), turned by each position's angles\n"
                  + " k = self.rotate(k, positions)\n"
                : "";
        return ("""
                def attention(self, x: Tensor, mask: Tensor, positions: Tensor, past_k: Tensor, past_v: Tensor,
                              qkv_w: Tensor, qkv_b: Optional[Tensor], proj_w: Tensor, proj_b: Optional[Tensor]
                              ) -> Tuple[Tensor, Tensor, Tensor]:
                 # As CausalSelfAttention with a KvCache: the T new positions attend to the P cached ones and to
                 # themselves, causally; their keys and values join the cache.
                 b = x.size(0)
                 t = x.size(1)
                 qkv = self.linear(x, qkv_w, qkv_b).split({C}, 2)  # (B, T, C) -> (B, T, 3C) -> 3 x (B, T, C)
                 q = qkv[0].reshape([b, t, {NH}, {HS}]).transpose(1, 2)  # (B, nh, T, hs)
                 k = qkv[1].reshape([b, t, {NH}, {HS}]).transpose(1, 2)  # (B, nh, T, hs)
                 v = qkv[2].reshape([b, t, {NH}, {HS}]).transpose(1, 2)  # (B, nh, T, hs)
                {ROTATE} k = torch.cat([past_k, k], 2)  # (B, nh, P + T, hs)
                 v = torch.cat([past_v, v], 2)  # (B, nh, P + T, hs)
                {ATTEND} y = y.transpose(1, 2).reshape([b, t, {C}])  # (B, T, C): the heads side by side again
                 return (self.linear(y, proj_w, proj_b), k, v)
                """).replace("{ROTATE}", rotate).replace("{ATTEND}", attend()).replace("{SCALE}", Double.toString(1.0 / Math.sqrt(config.headSize())))
                .replace("{NH}", Integer.toString(config.heads())).replace("{HS}", Integer.toString(config.headSize()))
                .replace("{C}", Integer.toString(c));
    }

    /** softmax(q k^T / sqrt(hs) + mask) v: written out in float32, or one fused kernel in 16 bits. */
    private String attend() {
        if (!precision.isReduced()) {
            return """
                     scores = torch.matmul(q * {SCALE}, k.transpose(2, 3)) + mask  # (B, nh, T, hs) @ (B, nh, hs, P + T)
                     y = torch.matmul(torch.softmax(scores, -1), v)  # (B, nh, T, P + T) @ (B, nh, P + T, hs) -> (B, nh, T, hs)
                    """;
        }
        return """
                 # One fused kernel in DTYPE, as ScratchGPT's masked attention: (B, nh, T, hs), left in DTYPE.
                 y = torch.scaled_dot_product_attention(torch.to(q, DTYPE), torch.to(k, DTYPE), torch.to(v, DTYPE), torch.to(mask, DTYPE), 0.0, False)
                """.replace("DTYPE", Integer.toString(precision.torchDtype()));
    }

    /**
     * y = x W^T (+ b), (..., in) x (out, in) -> (..., out): in float32, or in 16 bits with the result left in 16 bits,
     * as ScratchGPT's Projection; and the output head, whose logits are float32 either way.
     */
    private String linear() {
        if (!precision.isReduced()) {
            return """
                    def linear(self, x: Tensor, w: Tensor, b: Optional[Tensor]) -> Tensor:
                     return torch.linear(x, w, b)

                    def head(self, x: Tensor, w: Tensor) -> Tensor:
                     return torch.linear(x, w)
                    """;
        }
        return """
                def linear(self, x: Tensor, w: Tensor, b: Optional[Tensor]) -> Tensor:
                 # In DTYPE (PyTorch's dtype number), as ScratchGPT's --precision; the result stays in DTYPE.
                 if b is None:
                  return torch.linear(torch.to(x, DTYPE), torch.to(w, DTYPE))
                 return torch.linear(torch.to(x, DTYPE), torch.to(w, DTYPE), torch.to(b, DTYPE))

                def head(self, x: Tensor, w: Tensor) -> Tensor:
                 return torch.to(torch.linear(torch.to(x, DTYPE), torch.to(w, DTYPE)), 6)  # float32 logits
                """.replace("DTYPE", Integer.toString(precision.torchDtype()));
    }

    private String rotate() {
        return ("""
                def rotate(self, x: Tensor, positions: Tensor) -> Tensor:
                 # As RotaryPositionalEncoding: pair (x[i], x[i + hs/2]) turns by its angle at its position.
                 cos = self.{COS}[positions].unsqueeze(1)  # (B or 1, 1, T, hs/2)
                 sin = self.{SIN}[positions].unsqueeze(1)
                 halves = x.split({HALF}, 3)  # (B, nh, T, hs) -> 2 x (B, nh, T, hs/2)
                 a = halves[0]
                 b = halves[1]
                 return torch.cat([a * cos - b * sin, a * sin + b * cos], 3)  # (B, nh, T, hs)
                """).replace("{COS}", ROTARY_COS).replace("{SIN}", ROTARY_SIN)
                .replace("{HALF}", Integer.toString(config.headSize() / 2));
    }

    private String feedForward() {
        String gelu = config.gelu() == GeluForm.TANH
                ? " # GPT-2's tanh approximation, the operations in the order ScratchGPT's kernel runs them (in 16\n"
                  + " # bits every operation rounds, so another order gives other numbers)\n"
                  + " inner = 0.79788456080286535588 * (hidden + 0.044715 * hidden * hidden * hidden)\n"
                  + " hidden = 0.5 * hidden * (1.0 + torch.tanh(inner))\n"
                : " hidden = torch.gelu(hidden)  # the exact erf form\n";
        return """
                def feed_forward(self, x: Tensor, widen_w: Tensor, widen_b: Optional[Tensor], narrow_w: Tensor,
                                 narrow_b: Optional[Tensor]) -> Tensor:
                 hidden = self.linear(x, widen_w, widen_b)  # (B, T, C) -> (B, T, 4C)
                {GELU} return self.linear(hidden, narrow_w, narrow_b)  # (B, T, 4C) -> (B, T, C)
                """.replace("{GELU}", gelu);
    }
}
