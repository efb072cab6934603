package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.scratchgpt.lora.LoraModel;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.lora.LoraTarget;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gelu;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Scalars;
import org.scratchgpt.optim.LanguageModelLoss;

/**
 * Gradients must not depend on when Java's garbage collector runs. Every test here computes the same gradients twice,
 * once straight through and once with a collection between the forward and the backward pass that frees every
 * unreachable direct buffer and fills freed memory with 1e30, and asks for the same bits.
 *
 * <p>This is how LoRA runs failed at random (a finite loss with an infinite gradient norm, identical runs that were
 * not identical) and how the written-out tanh GELU gave NaN gradients now and then: DJL's {@code x.mul(0.5)} hands
 * libtorch a number whose memory Java frees, while autograd keeps it for the backward pass ({@link Scalars}). Without
 * that class, each of these fails on every repetition.
 */
class GarbageCollectionMidStepTest {

    private static final Shape IDS = new Shape(2, 8);

    /** LoRA on every target, B already moved from zero, explicit attention: the whole graph of a LoRA step. */
    @RepeatedTest(3)
    void aLoraStepsGradientsDoNotDependOnTheCollector() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            GptConfig tiny = new GptConfig(11, 8, 2, 2, 8, 0.0, true, PositionalEncoding.LEARNED, true);
            Gpt gpt = LoraModel.adapt(new Gpt(tiny, Compute.REFERENCE),
                    new LoraSettings(2, 4, 0, EnumSet.allOf(LoraTarget.class)));
            Engine.getInstance().setRandomSeed(7);
            gpt.initialize(manager, DataType.FLOAT32, IDS);
            LoraModel.freezeBase(gpt);
            for (Parameter matrix : LoraModel.adapterParameters(gpt).values()) { // as if trained a little
                matrix.getArray().addi(manager.randomNormal(0, 0.3f, matrix.getArray().getShape(), DataType.FLOAT32));
            }
            NDArray ids = manager.randomInteger(0, 11, IDS, DataType.INT32);      // (B, T)
            NDArray targets = manager.randomInteger(0, 11, IDS, DataType.INT32);  // (B, T)
            Function<Boolean, Map<String, float[]>> step = collect -> gradients(gpt, manager, collect, m -> {
                NDArray logits = gpt.forward(new ParameterStore(m, false), new NDList(ids), true).singletonOrThrow();
                return new LanguageModelLoss().evaluate(new NDList(targets), new NDList(logits)); // ()
            });
            Map<String, float[]> straight = step.apply(false);
            Map<String, float[]> collected = step.apply(true);
            assertTrue(straight.size() > 10, "adapters on every target: " + straight.keySet());
            for (String name : straight.keySet()) {
                assertArrayEquals(straight.get(name), collected.get(name), name);
            }
        }
    }

    /** GPT-2's tanh GELU as DJL operations, the readable reference of the fused kernel. */
    @Test
    void theWrittenOutTanhGelusGradientDoesNotDependOnTheCollector() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(64));
            x.setRequiresGradient(true);
            for (int repeat = 0; repeat < 5; repeat++) {
                float[] straight = geluGradient(x, false);
                assertArrayEquals(straight, geluGradient(x, true));
            }
        }
    }

    /** The loss divided by the number of micro-batches, as a training step does. */
    @Test
    void aLossDividedByANumberKeepsItsGradient() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(4));
            x.setRequiresGradient(true);
            for (int repeat = 0; repeat < 5; repeat++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = Scalars.times(Scalars.dividedBy(x.sum(), 8), 0.5);
                    List<ByteBuffer> filled = collectAndFillFreedMemory();
                    collector.backward(loss);
                    Reference.reachabilityFence(filled);
                }
                assertArrayEquals(new float[] {0.0625f, 0.0625f, 0.0625f, 0.0625f}, x.getGradient().toFloatArray());
                x.getGradient().subi(x.getGradient()); // zero it for the next repetition (it is finite)
            }
        }
    }

    private static float[] geluGradient(NDArray x, boolean collect) throws Exception {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = Gelu.tanhApproximation(x).sum();
            List<ByteBuffer> filled = collect ? collectAndFillFreedMemory() : List.of();
            collector.backward(y);
            Reference.reachabilityFence(filled);
        }
        float[] gradient = x.getGradient().toFloatArray();
        x.getGradient().subi(x.getGradient());
        return gradient;
    }

    /** The trainable parameters' gradients of {@code loss}, by name, optionally with a collection before backward. */
    private static Map<String, float[]> gradients(Gpt gpt, NDManager manager, boolean collect,
            Function<NDManager, NDArray> loss) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager scratch = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.apply(scratch);
            List<ByteBuffer> filled = collect ? collectAndFillFreedMemory() : List.of();
            collector.backward(value);
            Reference.reachabilityFence(filled);
        }
        for (Pair<String, Parameter> named : gpt.getParameters()) {
            if (named.getValue().requiresGradient()) {
                NDArray weight = named.getValue().getArray();
                gradients.put(named.getKey(), weight.getGradient().toFloatArray());
                weight.getGradient().subi(weight.getGradient());
            }
        }
        return gradients;
    }

    /**
     * Runs the collector until the direct buffers nobody references are freed, then allocates small buffers full of
     * 1e30, which take their memory: a number read from a freed buffer then reads 1e30 (or the allocator's own
     * bookkeeping) instead of itself. The caller keeps the list until its backward pass is done.
     */
    static List<ByteBuffer> collectAndFillFreedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10); // the reference handler frees the buffers of the collected ones
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> filled = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 << (i % 4)).order(ByteOrder.nativeOrder());
            while (buffer.remaining() >= Float.BYTES) {
                buffer.putFloat(1e30f);
            }
            filled.add(buffer);
        }
        return filled;
    }
}
