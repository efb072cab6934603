package org.scratchgpt.lora;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;

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
