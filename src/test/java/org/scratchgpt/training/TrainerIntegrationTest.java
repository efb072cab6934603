package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.AdamWTest;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.optim.WarmupCosineSchedule;

/**
 * AdamW and LanguageModelLoss plug into DJL's Trainer: {@code trainer.step()} reaches {@link AdamW#update} through
 * the ParameterStore and LocalParameterServer, with a copy of each gradient. Three steps that way end on the same
 * weights, bit for bit, as three steps of {@link AdamW#step} on a copy of the model; and the Trainer's step leaves
 * zero gradients behind, because AdamW zeroes the weight's own gradient rather than the copy it is given.
 */
class TrainerIntegrationTest {

    private static final int BATCH = 4;
    private static final int T = 16;

    @Test
    void trainerStepEqualsAdamWStep() throws Exception {
        Device cpu = Device.cpu();
        try (Model model = Model.newInstance("gpt", cpu); NDManager plain = NDManager.newBaseManager(cpu)) {
            Engine.getInstance().setRandomSeed(3);
            Gpt viaTrainer = new Gpt(TrainingTesting.tinyGpt());
            model.setBlock(viaTrainer);
            DefaultTrainingConfig config = new DefaultTrainingConfig(new LanguageModelLoss())
                    .optOptimizer(newAdamW())
                    .optDevices(new Device[] {cpu});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, T));
                Gpt direct = copyOf(viaTrainer, plain);
                AdamW adamW = newAdamW();

                for (int step = 0; step < 3; step++) {
                    int[][] tokens = TrainingTesting.fixedIds(BATCH, T + 1, 50, 200 + step);
                    try (NDManager scratch = trainer.getManager().newSubManager()) {
                        NDArray sequences = scratch.create(tokens);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList logits = trainer.forward(new NDList(sequences.get(":, :-1")));
                            collector.backward(trainer.getLoss().evaluate(new NDList(sequences.get(":, 1:")), logits));
                        }
                        trainer.step();
                    }
                    try (NDManager scratch = plain.newSubManager()) {
                        NDArray sequences = scratch.create(tokens);
                        TrainingTesting.backward(direct, scratch, sequences.get(":, :-1"), sequences.get(":, 1:"), 1.0);
                        adamW.step(direct.getParameters());
                    }
                }

                for (int i = 0; i < viaTrainer.getParameters().size(); i++) {
                    Pair<String, Parameter> trained = viaTrainer.getParameters().get(i);
                    NDArray weight = trained.getValue().getArray();
                    assertArrayEquals(direct.getParameters().get(i).getValue().getArray().toFloatArray(),
                            weight.toFloatArray(), 0f, trained.getKey());
                    assertArrayEquals(new float[Math.toIntExact(weight.size())], TrainingTesting.gradientOf(weight), 0f,
                            trained.getKey() + "'s gradient after trainer.step()");
                }
            }
        }
    }

    private static AdamW newAdamW() {
        return AdamW.builder().learningRate(new WarmupCosineSchedule(1e-2, 1e-3, 1, 5)).build();
    }

    private static Gpt copyOf(Gpt gpt, NDManager manager) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        gpt.saveParameters(new DataOutputStream(bytes));
        Gpt copy = new Gpt(gpt.config());
        copy.loadParameters(manager, AdamWTest.in(bytes.toByteArray()));
        copy.initialize(manager, DataType.FLOAT32, new Shape(BATCH, T)); // marks the loaded arrays as learnable
        return copy;
    }
}
