package org.scratchgpt.lora;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;
import org.scratchgpt.model.GptConfig;

/**
 * How a model is adapted with LoRA (Hu et al. 2021, "Low-Rank Adaptation of Large Language Models"): which of its
 * Linear layers get a trainable low-rank update, of which rank, and how strongly it counts.
 *
 * @param rank r, the inner width of the update B·A: A is (r, in), B is (out, r)
 * @param alpha the update is scaled by alpha / r, so changing r keeps the update's size (and a good learning rate)
 * @param dropout probability of zeroing the adapter's input while training (the base path sees the whole input)
 * @param targets which Linears are adapted
 */
public record LoraSettings(int rank, double alpha, double dropout, Set<LoraTarget> targets) {

    /** Adapting attention (qkv and proj) only, as the LoRA paper found enough for GPT-3. */
    public static final Set<LoraTarget> DEFAULT_TARGETS = EnumSet.of(LoraTarget.QKV, LoraTarget.PROJ);

    public LoraSettings {
        if (rank < 1) {
            throw new UserError("LoRA rank " + rank + " must be at least 1: use 4, 8 or 16 (--lora 8)");
        }
        if (!(alpha > 0 && Double.isFinite(alpha))) {
            throw new UserError("--lora-alpha " + alpha
                    + " must be a number above 0: use the rank (scale 1) or twice it");
        }
        if (!(dropout >= 0 && dropout < 1)) { // written this way so that NaN fails too
            throw new UserError("--lora-dropout " + dropout + " is outside [0, 1): use 0, or 0.05 to 0.1");
        }
        if (targets.isEmpty()) {
            throw new UserError("LoRA needs at least one target: use --lora-targets qkv,proj (or mlp, head)");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /** Rank r with alpha = r (scale 1), no dropout, attention targets. */
    public static LoraSettings ofRank(int rank) {
        return new LoraSettings(rank, rank, 0, DEFAULT_TARGETS);
    }

    /**
     * Refuses a rank above the smaller side of a matrix it adapts: the model's width (every adapted Linear has C on
     * one side), or the vocabulary for a head smaller than that. B·A cannot have a higher rank than that side, so the
     * extra rank would only cost memory and time: {@code --lora 100000} on a width of 128 made A and B of 12.8M
     * numbers per matrix and no step in five minutes.
     */
    public void requireRankWithin(GptConfig model) {
        int width = model.embeddingWidth();
        boolean smallHead = adapts(LoraTarget.HEAD) && model.vocabSize() < width;
        int limit = smallHead ? model.vocabSize() : width;
        if (rank > limit) {
            String side = smallHead ? "its head's vocabulary of " + limit + " (vocab_size)"
                    : "its width of " + limit + " (n_embd)";
            throw new UserError("LoRA rank " + rank + " is above " + side + ", the smaller side of the matrices it"
                    + " adapts, so the update cannot have that rank: use --lora " + Math.min(8, limit)
                    + " (4 to 16 is usual; at most " + limit + ")");
        }
    }

    /** The trainable numbers: A (r, in) and B (out, r) for every adapted matrix of {@code model}. */
    public double adapterParameters(GptConfig model) {
        return adaptedMatrices(model).stream().mapToDouble(m -> rank * (m.inputs() + m.outputs())).sum();
    }

    /**
     * The float32 numbers per token that the adapters keep for backward on top of the model's own (derived from
     * {@link LoraAdapter}'s forward, not measured): A x (r), B (A x) and its scaling (out each), the projection's
     * sum with it (out), and with dropout its output and mask (in each).
     */
    public double adapterActivationsPerToken(GptConfig model) {
        return adaptedMatrices(model).stream()
                .mapToDouble(m -> rank + 3.0 * m.outputs() + (dropout > 0 ? 2.0 * m.inputs() : 0)).sum();
    }

    /** A matrix that gets an adapter, (out, in). */
    private record Matrix(double inputs, double outputs) {}

    /** The matrices these settings adapt in {@code model}: per layer qkv, proj, the MLP's two; the head once. */
    private List<Matrix> adaptedMatrices(GptConfig model) {
        double c = model.embeddingWidth();
        List<Matrix> perLayer = new ArrayList<>();
        if (adapts(LoraTarget.QKV)) {
            perLayer.add(new Matrix(c, 3 * c));
        }
        if (adapts(LoraTarget.PROJ)) {
            perLayer.add(new Matrix(c, c));
        }
        if (adapts(LoraTarget.MLP)) {
            perLayer.addAll(List.of(new Matrix(c, 4 * c), new Matrix(4 * c, c)));
        }
        List<Matrix> all = new ArrayList<>();
        for (int layer = 0; layer < model.layers(); layer++) {
            all.addAll(perLayer);
        }
        if (adapts(LoraTarget.HEAD)) {
            all.add(new Matrix(c, model.vocabSize()));
        }
        return all;
    }

    /** alpha / r: what B·A x is multiplied by. */
    public double scale() {
        return alpha / rank;
    }

    public boolean adapts(LoraTarget target) {
        return targets.contains(target);
    }

    /** "qkv,proj,mlp" from the command line. */
    public static Set<LoraTarget> parseTargets(String list) {
        if (list.isBlank()) {
            throw new UserError("--lora-targets is empty: use a comma-separated list such as qkv,proj");
        }
        return Arrays.stream(list.split(",")).map(LoraTarget::parse)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(LoraTarget.class)));
    }

    public JsonObject toJsonObject() {
        JsonObject json = new JsonObject();
        json.addProperty("rank", rank);
        json.addProperty("alpha", alpha);
        json.addProperty("dropout", dropout);
        JsonArray names = new JsonArray();
        EnumSet.copyOf(targets).forEach(target -> names.add(target.cliName()));
        json.add("targets", names);
        return json;
    }

    public static LoraSettings fromJsonObject(JsonObject json) {
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (JsonElement name : json.getAsJsonArray("targets")) {
            targets.add(LoraTarget.parse(name.getAsString()));
        }
        return new LoraSettings(json.get("rank").getAsInt(), json.get("alpha").getAsDouble(),
                json.get("dropout").getAsDouble(), targets);
    }
}
