package org.scratchgpt.lora;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.LoraAdapter;
import org.scratchgpt.model.LoraSettings;

/**
 * A GPT with LoRA adapters on a frozen base: what "frozen" means here, and how the base weights get in.
 *
 * <p>Frozen: the base parameters are marked as not needing gradients ({@code Parameter.freeze}, which also tells
 * torch). The backward pass then computes no gradient for them, clipping and {@link
 * org.scratchgpt.optim.AdamW} skip them (both look at {@code requiresGradient()}), so they have no moments and
 * the optimizer's file holds the adapters' only. Gradients still flow through the frozen matrices to the adapters
 * of earlier layers; only the base's own dW is never formed.
 */
public final class LoraModel {
    private LoraModel() {}

    /** Freezes every parameter of {@code gpt} except its adapters' A and B. */
    public static void freezeBase(Gpt gpt) {
        gpt.freezeParameters(true);
        for (LoraAdapter adapter : LoraAdapter.in(gpt)) {
            adapter.freezeParameters(false);
        }
    }

    /** The adapters' matrices by their names in {@code gpt} ("layer0_attention_queryKeyValueLora_A", ...). */
    public static Map<String, Parameter> adapterParameters(Gpt gpt) {
        Set<Parameter> ofAdapters = Collections.newSetFromMap(new IdentityHashMap<>());
        LoraAdapter.in(gpt).forEach(adapter -> ofAdapters.addAll(adapter.matrices()));
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : gpt.getParameters()) {
            if (ofAdapters.contains(pair.getValue())) {
                named.put(pair.getKey(), pair.getValue());
            }
        }
        return named;
    }

    /** How many numbers training changes: the adapters' A and B. */
    public static long trainableCount(Gpt gpt) {
        return adapterParameters(gpt).values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /**
     * Gives {@code model} (a LoRA GPT) its shapes for inputs of {@code inputShape} (which also draws the adapters'
     * A), then the base checkpoint's weights in {@code baseDir} ({@link Checkpoint#copyWeightsInto}), and freezes
     * them.
     */
    public static void loadBase(Model model, Path baseDir, Shape inputShape) throws IOException {
        Gpt adapted = (Gpt) model.getBlock();
        Checkpoint.copyWeightsInto(model, baseDir, adapted.config(), inputShape);
        freezeBase(adapted);
    }

    /**
     * A LoRA GPT with the weights of {@code base} (initialised), frozen, and fresh adapters (A drawn, B = 0),
     * initialised on {@code manager} for inputs of {@code inputShape}.
     */
    public static Gpt withAdapters(Gpt base, LoraSettings settings, NDManager manager, Shape inputShape) {
        Gpt adapted = new Gpt(base.config(), base.compute(), settings);
        adapted.initialize(manager, DataType.FLOAT32, inputShape);
        copyByName(base.getParameters(), adapted);
        freezeBase(adapted);
        return adapted;
    }

    /** Copies every parameter of {@code from} into the same-named parameter of {@code to}, in place. */
    static void copyByName(Iterable<Pair<String, Parameter>> from, Gpt to) {
        var targets = to.getParameters();
        for (Pair<String, Parameter> source : from) {
            Parameter target = targets.get(source.getKey());
            if (target == null) {
                throw new IllegalStateException("the model has no parameter " + source.getKey());
            }
            NDArray values = source.getValue().getArray();
            values.copyTo(target.getArray());
        }
    }
}
