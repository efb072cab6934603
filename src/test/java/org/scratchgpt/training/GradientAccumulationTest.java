package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.optim.Gradients;

/**
 * Gradient accumulation is exact: the gradients of one batch of 4k sequences equal the sum of k micro-batches of
 * 4, each backward pass (in its own GradientCollector) taking loss / k. The division matters because the loss is
 * a mean over positions: k micro-batch means, each divided by k, are the mean over the whole batch. It works
 * because DJL's GradientCollector never zeroes gradients, so backward passes add up until the optimizer's step
 * zeroes them.
 */
class GradientAccumulationTest {

    private static final int MICRO_BATCH = 4;
    private static final int K = 3;
    private static final int T = 16;

    @Test
    void kMicroBatchesOfLossOverKEqualOneBigBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            Gpt gpt = new Gpt(TrainingTesting.tinyGpt());
            gpt.initialize(manager, DataType.FLOAT32, new Shape(MICRO_BATCH, T));
            int[][] tokens = TrainingTesting.fixedIds(MICRO_BATCH * K, T + 1, 50, 5);

            Gradients.zero(gpt.getParameters());
            try (NDManager step = manager.newSubManager()) {
                NDArray sequences = step.create(tokens);                                   // (4k, T + 1)
                TrainingTesting.backward(gpt, step, sequences.get(":, :-1"), sequences.get(":, 1:"), 1.0);
            }
            Map<String, float[]> whole = TrainingTesting.gradients(gpt);

            Gradients.zero(gpt.getParameters());
            for (int micro = 0; micro < K; micro++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray sequences = step.create(tokens)
                            .get(new NDIndex("{}:{}", micro * MICRO_BATCH, (micro + 1) * MICRO_BATCH)); // (4, T + 1)
                    TrainingTesting.backward(gpt, step, sequences.get(":, :-1"), sequences.get(":, 1:"), 1.0 / K);
                }
            }
            Map<String, float[]> accumulated = TrainingTesting.gradients(gpt);

            double worst = 0;
            for (String name : whole.keySet()) {
                double error = TrainingTesting.relativeError(accumulated.get(name),
                        TrainingTesting.toDoubles(whole.get(name)));
                assertTrue(error < 1e-5, name + ": relative error " + error);
                worst = Math.max(worst, error);
            }
            System.out.printf("gradient accumulation, %d x %d vs %d: worst relative error %.3g over %d parameters%n",
                    K, MICRO_BATCH, K * MICRO_BATCH, worst, whole.size());
        }
    }
}
