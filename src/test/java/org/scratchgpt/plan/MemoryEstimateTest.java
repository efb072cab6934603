package org.scratchgpt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.plan.MemoryEstimate.DeviceKind;
import org.scratchgpt.plan.MemoryEstimate.Options;

/**
 * The memory estimate's arithmetic: the parameter count from the shape alone, the fixed terms, and the direction
 * of each option that is derived rather than measured (the measured ones: {@code training.MemoryEstimateMeasuredTest}).
 */
class MemoryEstimateTest {

    private static final GptConfig SHAKESPEARE = Presets.model("shakespeare-char");

    @ParameterizedTest
    @CsvSource({"true, LEARNED, true", "false, LEARNED, true", "true, ROTARY, false", "false, SINUSOIDAL, false"})
    void parameterCountFromTheShapeIsWhatTheModelHolds(boolean bias, PositionalEncoding positions, boolean tied) {
        GptConfig config = new GptConfig(50, 16, 3, 4, 32, 0.0, bias, positions, tied);
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(config);
            gpt.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            assertEquals(gpt.parameterCount(), MemoryEstimate.parameterCount(config));
        }
    }

    @Test
    void gpt2SmallCountsAsPublished() {
        assertEquals(124_439_808L, MemoryEstimate.parameterCount(Presets.model("gpt2-124m")));
    }

    @Test
    void weightsGradientsAndMomentsAreFourFloatsPerParameter() {
        MemoryEstimate e = MemoryEstimate.of(SHAKESPEARE, 8, Options.plain(DeviceKind.CPU));
        double floats = 4 * MemoryEstimate.parameterCount(SHAKESPEARE);
        assertEquals(floats, e.parameters());
        assertEquals(floats, e.gradients());
        assertEquals(2 * floats, e.optimizer());
        assertEquals(e.parameters() + e.gradients() + e.optimizer() + e.activations() + e.runtime(), e.total());
    }

    @Test
    void activationsGrowWithTheMicroBatchAndNothingElseDoes() {
        Options plain = Options.plain(DeviceKind.CPU);
        MemoryEstimate one = MemoryEstimate.of(SHAKESPEARE, 8, plain);
        MemoryEstimate two = MemoryEstimate.of(SHAKESPEARE, 16, plain);
        assertEquals(2.0, (double) two.activations() / one.activations(), 0.01);
        assertEquals(one.total() - one.activations(), two.total() - two.activations());
    }

    @Test
    void eachDerivedOptionSavesMemory() {
        Options plain = Options.plain(DeviceKind.CUDA); // fused attention, as train runs by default
        long kept = activations(new Options(Precision.FP32, false, false, DeviceKind.CUDA)); // written-out attention
        long fused = activations(plain);
        long checkpointed = activations(plain.withCheckpointing());
        assertTrue(checkpointed < fused / 3, checkpointed + " vs " + fused);
        // Here the (T, T) arrays weigh as much as four (B, T, C) ones (nh T / C = 4), plus dropout's copies of them.
        assertTrue(fused < 0.8 * kept, fused + " vs " + kept);
    }

    @Test
    void aBigModelOnATinyBatchPeaksInTheUpdate() {
        // Clipping and AdamW work one weight at a time: three arrays the size of the largest, the MLP's (4C, C).
        GptConfig wide = new GptConfig(65, 16, 4, 4, 512, 0, false, PositionalEncoding.LEARNED, true);
        assertEquals(3L * 4 * 512 * 512 * 4, MemoryEstimate.of(wide, 1, Options.plain(DeviceKind.CPU)).activations());
    }

    private static long activations(Options options) {
        return (long) MemoryEstimate.of(SHAKESPEARE, 16, options).activations();
    }
}
