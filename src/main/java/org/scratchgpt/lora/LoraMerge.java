package org.scratchgpt.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.LoraAdapter;

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
    static final String TIED_MATRIX = "tokenEmbedding_weight";
    static final String OWN_HEAD = "head_weight";

    private LoraMerge() {}

    /** The config of the merged model: the base's, untied when a tied head was adapted. */
    public static GptConfig mergedConfig(Gpt adapted) {
        GptConfig config = adapted.config();
        boolean adaptsTiedHead = config.tiedEmbeddings() && adapted.lora().isPresent()
                && adapted.lora().get().adapts(org.scratchgpt.model.LoraTarget.HEAD);
        return adaptsTiedHead ? config.withOverrides(Map.of("tied_embeddings", "false")) : config;
    }

    /**
     * Sets every weight of {@code merged}, a plain GPT of {@link #mergedConfig} that is initialised, to the LoRA
     * model's base weight plus its adapter's update.
     */
    public static void into(Gpt adapted, Gpt merged) {
        var base = adapted.getParameters();
        boolean untied = adapted.config().tiedEmbeddings() && !merged.config().tiedEmbeddings();
        for (Pair<String, Parameter> target : merged.getParameters()) {
            String source = untied && target.getKey().equals(OWN_HEAD) ? TIED_MATRIX : target.getKey();
            base.get(source).getArray().copyTo(target.getValue().getArray());
        }
        Map<Parameter, String> names = new IdentityHashMap<>();
        base.forEach(pair -> names.put(pair.getValue(), pair.getKey()));
        for (LoraAdapter adapter : LoraAdapter.in(adapted)) {
            String name = names.get(adapter.adapted());
            // the only adapter of the tied matrix is the head's: its update goes to the head's own copy
            String target = untied && name.equals(TIED_MATRIX) ? OWN_HEAD : name;
            try (NDArray delta = adapter.delta()) {                              // (out, in)
                merged.getParameters().get(target).getArray().addi(delta);      // W + scale · B·A
            }
        }
    }

    /** The names of the matrices that merging changes, for a report. */
    public static List<String> adaptedNames(Gpt adapted) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        adapted.getParameters().forEach(pair -> names.put(pair.getValue(), pair.getKey()));
        return LoraAdapter.in(adapted).stream().map(adapter -> names.get(adapter.adapted())).toList();
    }
}
