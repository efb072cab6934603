package org.scratchgpt.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.MemoryEstimate.DeviceKind;
import org.scratchgpt.plan.MemoryEstimate.Options;

/**
 * The proposer: the largest micro-batch that fits, accumulation making up the preset's tokens per step,
 * checkpointing only when one sequence does not fit otherwise, never bf16 (no memory saving here), and an honest
 * "no" with the shortfall.
 * Budgets are set from the estimate itself, so the tests hold whatever the estimate's constants become.
 */
class MemoryPlanTest {

    private static final GptConfig SHAKESPEARE = Presets.model("shakespeare-char");
    private static final TrainingSettings SHAKESPEARE_TRAINING = TrainingSettings.preset("shakespeare-char");
    private static final GptConfig GPT2 = Presets.model("gpt2-124m");
    private static final TrainingSettings GPT2_TRAINING = TrainingSettings.preset("gpt2-124m"); // 12 x 40
    private static final Options CPU = Options.plain(DeviceKind.CPU);
    private static final Options CUDA = Options.plain(DeviceKind.CUDA);

    private static long total(GptConfig model, int microBatch, Options options) {
        return (long) MemoryEstimate.of(model, microBatch, options).total();
    }

    @Test
    void plentyOfMemoryKeepsThePresetsBatchInOnePass() {
        MemoryPlan plan = MemoryPlan.propose(SHAKESPEARE, SHAKESPEARE_TRAINING, 1_000_000_000_000L, CPU);
        assertTrue(plan.fits());
        assertEquals(64, plan.microBatch());
        assertEquals(1, plan.accumulationSteps());
        assertEquals(CPU, plan.options());
    }

    @Test
    void lessMemoryTakesTheLargestMicroBatchThatFitsAndAccumulatesTheRest() {
        long budget = total(SHAKESPEARE, 16, CPU); // exactly 16 sequences' worth
        MemoryPlan plan = MemoryPlan.propose(SHAKESPEARE, SHAKESPEARE_TRAINING, budget, CPU);
        assertTrue(plan.fits());
        assertEquals(16, plan.microBatch());
        assertEquals(4, plan.accumulationSteps());
        assertEquals(CPU, plan.options(), "no checkpointing while a micro-batch fits without");

        plan = MemoryPlan.propose(SHAKESPEARE, SHAKESPEARE_TRAINING, budget - 1, CPU);
        assertEquals(8, plan.microBatch());
        assertEquals(8, plan.accumulationSteps());
    }

    @Test
    void microBatchesDivideTheStepsSequencesSoTokensPerStepStayTheSame() {
        assertArrayEquals(new int[] {480, 240, 160, 120, 96, 80, 60, 48, 40, 32, 30, 24, 20, 16, 15, 12, 10, 8, 6, 5, 4,
            3, 2, 1}, MemoryPlan.divisorsDescending(480));
        long budget = total(GPT2, 5, CUDA) + 1; // 6 sequences do not fit; 5 is the next divisor of 480
        MemoryPlan plan = MemoryPlan.propose(GPT2, GPT2_TRAINING, budget, CUDA);
        assertEquals(5, plan.microBatch());
        assertEquals(96, plan.accumulationSteps());
    }

    @Test
    void checkpointingComesOnOnlyWhenOneSequenceDoesNotFitWithout() {
        long oneSequence = total(GPT2, 1, CUDA);
        MemoryPlan plan = MemoryPlan.propose(GPT2, GPT2_TRAINING, oneSequence - 1, CUDA);
        assertTrue(plan.fits());
        assertTrue(plan.options().checkpointActivations());
        assertEquals(Precision.FP32, plan.options().precision(), "precision is a speed choice, not the plan's");
        assertTrue(plan.microBatch() >= 1 && plan.microBatch() * plan.accumulationSteps() == 480);
    }

    /**
     * bf16 keeps its activations between the matrix products in 2 bytes, so it needs less memory than float32; but
     * it changes the arithmetic, so the plan leaves precision to the user and never turns it on.
     */
    @Test
    void bf16SavesActivationMemoryButThePlanNeverTurnsItOn() {
        for (int microBatch : new int[] {1, 8, 64}) {
            long float32 = total(SHAKESPEARE, microBatch, CPU);
            long bf16 = total(SHAKESPEARE, microBatch, CPU.withPrecision(Precision.BF16));
            assertTrue(bf16 < float32, "bf16 " + bf16 + " vs float32 " + float32 + " at micro-batch " + microBatch);
        }
        assertEquals(List.of(CPU, CPU.withCheckpointing()), MemoryPlan.ladder(CPU));
    }

    @Test
    void whenNothingFitsThePlanSaysByHowMuch() {
        MemoryPlan plan = MemoryPlan.propose(GPT2, GPT2_TRAINING, 1_000_000_000L, CPU);
        assertFalse(plan.fits());
        assertEquals(1, plan.microBatch(), "the smallest plan tried");
        assertEquals(CPU.withCheckpointing(), plan.options());
        assertEquals(plan.estimate().total() - 1_000_000_000L, plan.shortfall());
    }
}
