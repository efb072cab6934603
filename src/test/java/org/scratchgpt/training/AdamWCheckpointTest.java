package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.AdamWTest;
import org.scratchgpt.optim.GradientClipping;
import org.scratchgpt.optim.WarmupCosineSchedule;

/**
 * Resuming from a checkpoint must continue training exactly: train 5 steps, save model and optimizer, train 5
 * more; separately, load both into a fresh model and a fresh optimizer and train the same 5 steps. The weights
 * must be equal bit for bit. The schedule is in warmup and then decay during these steps, so the restored step
 * counts matter too.
 */
class AdamWCheckpointTest {

    private static final int BATCH = 4;
    private static final int T = 16;

    @Test
    void restoredOptimizerContinuesBitForBit() throws Exception {
        GptConfig config = TrainingTesting.tinyGpt();
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        byte[] optimizer;
        List<float[]> continued;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            Gpt gpt = new Gpt(config);
            gpt.initialize(manager, DataType.FLOAT32, new Shape(BATCH, T));
            AdamW adamW = newAdamW();
            for (int step = 0; step < 5; step++) {
                trainStep(gpt, adamW, manager, step);
            }
            gpt.saveParameters(new DataOutputStream(model));
            optimizer = AdamWTest.save(adamW, gpt.getParameters());
            for (int step = 5; step < 10; step++) {
                trainStep(gpt, adamW, manager, step);
            }
            continued = weights(gpt);
        }

        List<float[]> resumed = resume(config, model.toByteArray(), optimizer, true);
        for (int i = 0; i < continued.size(); i++) {
            assertArrayEquals(continued.get(i), resumed.get(i), 0f, "parameter " + i);
        }
        // The check has teeth: a fresh optimizer (moments zero, step 1) on the same weights ends elsewhere.
        List<float[]> restarted = resume(config, model.toByteArray(), optimizer, false);
        assertFalse(Arrays.equals(continued.get(0), restarted.get(0)));
    }

    private static List<float[]> resume(GptConfig config, byte[] model, byte[] optimizer, boolean loadOptimizer)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(config);
            gpt.loadParameters(manager, AdamWTest.in(model));
            // DJL's Parameter.load does not mark arrays as needing gradients; initialize does, and it keeps
            // the loaded values (it only draws values for parameters that have none).
            gpt.initialize(manager, DataType.FLOAT32, new Shape(BATCH, T));
            AdamW adamW = newAdamW();
            if (loadOptimizer) {
                adamW.loadState(AdamWTest.in(optimizer), gpt.getParameters());
            }
            for (int step = 5; step < 10; step++) {
                trainStep(gpt, adamW, manager, step);
            }
            return weights(gpt);
        }
    }

    private static AdamW newAdamW() {
        return AdamW.builder().learningRate(new WarmupCosineSchedule(1e-2, 1e-3, 3, 8)).build();
    }

    /** Forward, backward, clip, step: one training step on a fixed batch chosen by the step number. */
    private static void trainStep(Gpt gpt, AdamW adamW, NDManager manager, int step) {
        try (NDManager scratch = manager.newSubManager()) {
            int[][] tokens = TrainingTesting.fixedIds(BATCH, T + 1, 50, 100 + step);
            NDArray sequence = scratch.create(tokens);                          // (B, T + 1)
            NDArray ids = sequence.get(":, :-1");                                // (B, T)
            NDArray targets = sequence.get(":, 1:");                             // (B, T), the next tokens
            TrainingTesting.backward(gpt, scratch, ids, targets, 1.0);
            GradientClipping.clipToGlobalNorm(gpt.getParameters(), 1.0);
            adamW.step(gpt.getParameters());
        }
    }

    private static List<float[]> weights(Gpt gpt) {
        List<float[]> weights = new ArrayList<>();
        for (Pair<String, Parameter> named : gpt.getParameters()) {
            weights.add(named.getValue().getArray().toFloatArray());
        }
        return weights;
    }
}
