package org.scratchgpt.lora;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.CausalSelfAttention;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.FeedForward;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.OutputHead;
import org.scratchgpt.model.Overwrite;

/**
 * A GPT with LoRA adapters on a frozen base: how a built GPT gets them ({@link #adapt}, from outside: the model's
 * blocks know nothing of LoRA), what "frozen" means here, and how the base weights get in.
 *
 * <p>Frozen: the base parameters are marked as not needing gradients ({@code Parameter.freeze}, which also tells
 * torch). The backward pass then computes no gradient for them, clipping and {@link
 * org.scratchgpt.optim.AdamW} skip them (both look at {@code requiresGradient()}), so they have no moments and
 * the optimizer's file holds the adapters' only. Gradients still flow through the frozen matrices to the adapters
 * of earlier layers; only the base's own dW is never formed.
 */
public final class LoraModel {
    private LoraModel() {}

    /**
     * Replaces every projection of {@code gpt} that {@code settings} targets with a {@link LoraProjection} of it, the
     * projection plus a trainable low-rank update, and returns {@code gpt}. Only a plain GPT, built but not yet
     * initialised: initialising it draws the adapters' A (B = 0) along with its own weights.
     */
    public static Gpt adapt(Gpt gpt, LoraSettings settings) {
        if (gpt.isInitialized() || settingsOf(gpt).isPresent()) {
            throw new IllegalStateException("LoRA adapts a plain GPT that is not initialised yet");
        }
        Adapting lora = new Adapting(settings, gpt.compute());
        long width = gpt.config().embeddingWidth();
        for (Block block : blocksIn(gpt)) {
            if (block instanceof CausalSelfAttention attention) {
                lora.replace(attention::replaceProjection, "queryKeyValue", LoraTarget.QKV, 3 * width);
                lora.replace(attention::replaceProjection, "outputProjection", LoraTarget.PROJ, width);
            } else if (block instanceof FeedForward mlp) {
                lora.replace(mlp::replaceProjection, "widen", LoraTarget.MLP, 4 * width);
                lora.replace(mlp::replaceProjection, "narrow", LoraTarget.MLP, width);
            }
        }
        lora.replace(gpt::replaceProjection, "head", LoraTarget.HEAD, gpt.config().vocabSize());
        return gpt;
    }

    /** How a block of the model puts another block in a projection's place, e.g. {@link Gpt#replaceProjection}. */
    private interface ProjectionOwner {
        void replaceProjection(String name, String childName, UnaryOperator<Block> replacement);
    }

    /** Adapting one GPT: its settings, and the model's compute, which the updates use too. */
    private record Adapting(LoraSettings settings, Compute compute) {
        /** Replaces projection {@code name}, which has {@code outputs} outputs, if the settings target it. */
        void replace(ProjectionOwner owner, String name, LoraTarget target, long outputs) {
            if (settings.adapts(target)) {
                // "queryKeyValueLora" beside "queryKeyValue": the names A and B have in LoRA checkpoints.
                owner.replaceProjection(name, name + "Lora", projection -> new LoraProjection(projection,
                        new LoraAdapter(settings, target, weightOf(projection), outputs, compute)));
            }
        }
    }

    /** The matrix W (out, in) of a projection: a Linear's own, or the output head's (the token embedding, if tied). */
    private static Parameter weightOf(Block projection) {
        return projection instanceof OutputHead head ? head.weight() : projection.getParameters().get("weight");
    }

    /** The LoRA settings {@code gpt} was adapted with; empty for a plain GPT. */
    public static Optional<LoraSettings> settingsOf(Gpt gpt) {
        return adapters(gpt).stream().findFirst().map(LoraAdapter::settings);
    }

    /** Every adapter in {@code gpt}, in the order of the model's blocks (layer 0's first, the head's last). */
    public static List<LoraAdapter> adapters(Gpt gpt) {
        return blocksIn(gpt).stream().filter(LoraProjection.class::isInstance)
                .map(block -> ((LoraProjection) block).adapter()).toList();
    }

    /** {@code block} and every block inside it, depth first, in the order of the children. */
    private static List<Block> blocksIn(Block block) {
        List<Block> found = new ArrayList<>(List.of(block));
        for (Block child : block.getChildren().values()) {
            found.addAll(blocksIn(child));
        }
        return found;
    }

    /** Freezes every parameter of {@code gpt} except its adapters' A and B. */
    public static void freezeBase(Gpt gpt) {
        gpt.freezeParameters(true);
        for (LoraAdapter adapter : adapters(gpt)) {
            adapter.freezeParameters(false);
        }
    }

    /** The adapters' matrices by their names in {@code gpt} ("04layer0_02attention_05queryKeyValueLora_A", ...). */
    public static Map<String, Parameter> adapterParameters(Gpt gpt) {
        Set<Parameter> ofAdapters = Collections.newSetFromMap(new IdentityHashMap<>());
        adapters(gpt).forEach(adapter -> ofAdapters.addAll(adapter.matrices()));
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
        Gpt adapted = adapt(new Gpt(base.config(), base.compute()), settings);
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
            Overwrite.with(target.getArray(), values);
        }
    }
}
