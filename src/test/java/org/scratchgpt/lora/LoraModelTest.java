package org.scratchgpt.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;

/** A GPT with adapters against its base: equal at the start, frozen base, and merging. */
class LoraModelTest {

    private static final Shape IDS = new Shape(2, 8);
    private static final LoraSettings ALL_TARGETS = new LoraSettings(2, 4, 0, EnumSet.allOf(LoraTarget.class));

    /** Tiny: 2 layers, 2 heads of 4 channels, 11 tokens, context 8; the head tied or not. */
    static GptConfig tiny(boolean tied) {
        return new GptConfig(11, 8, 2, 2, 8, 0.0, true, PositionalEncoding.LEARNED, tied);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16"})
    void aLoraModelComputesExactlyItsBaseBeforeTraining(String precision) {
        Compute compute = new Compute(Precision.parse(precision), !precision.equals("fp32"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt base = initialised(new Gpt(tiny(true), compute), manager, 1);
            Gpt adapted = initialised(LoraModel.adapt(new Gpt(tiny(true), compute), ALL_TARGETS), manager, 2);
            LoraModel.copyByName(base.getParameters(), adapted);
            NDArray ids = ids(manager);
            assertArrayEquals(logits(base, ids, false), logits(adapted, ids, false)); // bit for bit
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theMergedModelComputesBasePlusAdapters(boolean tied) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt adapted = initialised(LoraModel.adapt(new Gpt(tiny(tied), Compute.REFERENCE), ALL_TARGETS), manager, 3);
            Engine.getInstance().setRandomSeed(4);
            for (Parameter b : LoraModel.adapterParameters(adapted).values()) { // as if trained: B no longer zero
                b.getArray().addi(manager.randomNormal(0, 0.3f, b.getArray().getShape(), DataType.FLOAT32));
            }
            GptConfig mergedConfig = LoraMerge.mergedConfig(adapted);
            assertEquals(false, mergedConfig.tiedEmbeddings(), "adapting a tied head unties it");
            Gpt merged = initialised(new Gpt(mergedConfig, Compute.REFERENCE), manager, 5);
            LoraMerge.into(adapted, merged);
            NDArray ids = ids(manager);
            float[] expected = logits(adapted, ids, false);
            float[] actual = logits(merged, ids, false);
            double worst = 0;
            double changed = 0;
            float[] baseOnly = baseLogits(adapted, manager, ids);
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                changed = Math.max(changed, Math.abs(expected[i] - baseOnly[i]));
            }
            assertTrue(worst <= 1e-5, "merged logits differ from base + adapters by " + worst);
            assertTrue(changed > 1e-2, "the adapters should change the logits, changed by " + changed);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFrozenBaseGetsNoGradientAndTheAdaptersDo(boolean tied) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt adapted = initialised(LoraModel.adapt(new Gpt(tiny(tied), Compute.REFERENCE), ALL_TARGETS), manager, 6);
            LoraModel.freezeBase(adapted);
            Map<String, Parameter> adapters = LoraModel.adapterParameters(adapted);
            assertEquals(2 * 4 * 2 + 2, adapters.size(), "A and B for qkv, proj, widen, narrow per layer, and the head");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = adapted.forward(new ParameterStore(manager, false), new NDList(ids(manager)), true)
                        .singletonOrThrow();
                collector.backward(out.square().sum());
            }
            for (Pair<String, Parameter> p : adapted.getParameters()) {
                boolean adapter = adapters.containsKey(p.getKey());
                assertEquals(adapter, p.getValue().requiresGradient(), p.getKey());
                assertEquals(adapter, p.getValue().getArray().hasGradient(), p.getKey());
            }
            double gradientOfA = adapters.entrySet().stream().filter(e -> e.getKey().endsWith("_A"))
                    .mapToDouble(e -> e.getValue().getArray().getGradient().abs().sum().getFloat()).sum();
            assertEquals(0, gradientOfA, "with B = 0, A's gradient B^T g is zero at first");
            double gradientOfB = adapters.entrySet().stream().filter(e -> e.getKey().endsWith("_B"))
                    .mapToDouble(e -> e.getValue().getArray().getGradient().abs().sum().getFloat()).sum();
            assertFalse(gradientOfB == 0, "B must get a gradient");
        }
    }

    /** The memory check's count of adapter numbers is what a built LoRA model holds, for each set of targets. */
    @Test
    void theAdapterCountFromTheShapeIsWhatTheModelHolds() {
        for (Set<LoraTarget> targets : List.of(LoraSettings.DEFAULT_TARGETS, EnumSet.of(LoraTarget.MLP),
                EnumSet.allOf(LoraTarget.class))) {
            LoraSettings settings = new LoraSettings(3, 3, 0, targets);
            try (NDManager manager = NDManager.newBaseManager()) {
                Gpt adapted = initialised(LoraModel.adapt(new Gpt(tiny(false), Compute.REFERENCE), settings), manager, 7);
                long held = LoraModel.adapterParameters(adapted).values().stream()
                        .mapToLong(p -> p.getArray().size()).sum();
                assertEquals(held, settings.adapterParameters(tiny(false)), targets.toString());
            }
        }
    }

    static Gpt initialised(Gpt gpt, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        gpt.initialize(manager, DataType.FLOAT32, IDS);
        return gpt;
    }

    static NDArray ids(NDManager manager) {
        return manager.create(new int[] {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3}, IDS);
    }

    static float[] logits(Gpt gpt, NDArray ids, boolean training) {
        return gpt.forward(new ParameterStore(ids.getManager(), false), new NDList(ids), training)
                .singletonOrThrow().toFloatArray();
    }

    /** The logits of the adapted model's base alone: a plain GPT with its base weights. */
    private static float[] baseLogits(Gpt adapted, NDManager manager, NDArray ids) {
        Gpt base = initialised(new Gpt(adapted.config(), Compute.REFERENCE), manager, 9);
        for (Pair<String, Parameter> p : base.getParameters()) {
            adapted.getParameters().get(p.getKey()).getArray().copyTo(p.getValue().getArray());
        }
        return logits(base, ids, false);
    }
}
