package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.Gradients;
import org.scratchgpt.optim.LanguageModelLoss;

/**
 * The fast paths compute what the reference computes. The same weights run through the reference model
 * (float32, attention written out) and through a model using the fused attention kernel and/or bfloat16 /
 * float16 matrix arithmetic; the logits and every parameter's gradient are compared.
 *
 * <p>Bounds, relative to the largest value of the reference: float32 fused attention 1e-5 (it differs only in
 * the order of float32 sums). bfloat16 keeps 8 significant bits, a rounding error of 2^-9 = 0.2% per cast; a few
 * casts and bf16 sums per layer give about 1% on the logits and a few % on gradients, so bf16 is held to 2.5e-2
 * (logits) and 5e-2 (gradients). float16 keeps 11 bits, 8x finer: 4e-3 and 8e-3.
 */
class ComputePathsTest {

    private static final int BATCH = 4;
    private static final int T = 32;

    /** 2 layers, 4 heads of 16 channels, vocabulary 50, context 32: big enough for the kernels' real code paths. */
    private static GptConfig config(PositionalEncoding positions, boolean bias) {
        return new GptConfig(50, T, 2, 4, 64, 0.0, bias, positions, true);
    }

    @Test
    void fusedAttentionInFloat32MatchesTheExplicitReference() {
        for (PositionalEncoding positions : PositionalEncoding.values()) {
            Comparison c = compare(config(positions, true), new Compute(Precision.FP32, true));
            c.assertWithin(1e-5, 1e-5, "fp32 fused, " + positions);
        }
    }

    @Test
    void bfloat16MatchesTheFloat32ReferenceWithinBfloat16Rounding() {
        compare(config(PositionalEncoding.LEARNED, false), new Compute(Precision.BF16, true))
                .assertWithin(2.5e-2, 5e-2, "bf16");
        compare(config(PositionalEncoding.ROTARY, true), new Compute(Precision.BF16, true))
                .assertWithin(2.5e-2, 5e-2, "bf16, rotary, bias");
    }

    /**
     * float16 has 5 exponent bits: gradients of a mean loss are small, and those below 6e-5 fall into float16's
     * subnormal range, where bits are lost (below 6e-8, all). Scaling the loss by 1024 before backward (and the
     * gradients down after, in float32) lifts them into the normal range: that is what loss scaling is for. On
     * this tiny model few gradients are that small, so the unscaled error is printed, not asserted.
     */
    @Test
    void float16WithLossScalingMatchesTheFloat32ReferenceWithinFloat16Rounding() {
        Comparison unscaled = compare(config(PositionalEncoding.LEARNED, true), new Compute(Precision.FP16, true), 1);
        Comparison scaled = compare(config(PositionalEncoding.LEARNED, true), new Compute(Precision.FP16, true), 1024);
        scaled.assertWithin(4e-3, 8e-3, "fp16, loss scale 1024");
        System.out.printf("fp16 without loss scaling: worst gradient %.3g (%s)%n", unscaled.worstGradientError,
                unscaled.worstParameter);
    }

    @Test
    void reducedPrecisionActuallyRoundsSoTheComparisonsAboveMeanSomething() {
        Comparison c = compare(config(PositionalEncoding.LEARNED, true), new Compute(Precision.BF16, true));
        assertTrue(c.logitsError > 1e-4, "bf16 logits equal float32's to " + c.logitsError + ": no bf16 arithmetic?");
    }

    @Test
    void explicitAttentionInReducedPrecisionIsRefusedWithTheFix() {
        UserError error = assertThrows(UserError.class, () -> new Compute(Precision.BF16, false));
        assertTrue(error.getMessage().contains("--attention fused"), error.getMessage());
    }

    @Test
    void fusedAttentionDropoutActsOnlyWhileTraining() {
        GptConfig withDropout = new GptConfig(50, T, 2, 4, 64, 0.3, true, PositionalEncoding.LEARNED, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt fused = initialized(new Gpt(withDropout, new Compute(Precision.FP32, true)), manager);
            Gpt reference = initialized(new Gpt(withDropout), manager);
            copyWeights(reference, fused);
            NDArray ids = manager.create(TrainingTesting.fixedIds(BATCH, T, 50, 3));
            ParameterStore store = new ParameterStore(manager, false);
            float[] inference = fused.forward(store, new NDList(ids), false).singletonOrThrow().toFloatArray();
            float[] referenceInference = reference.forward(store, new NDList(ids), false).singletonOrThrow().toFloatArray();
            assertTrue(TrainingTesting.relativeError(inference, TrainingTesting.toDoubles(referenceInference)) < 1e-5);
            float[] training = fused.forward(store, new NDList(ids), true).singletonOrThrow().toFloatArray();
            assertTrue(TrainingTesting.relativeError(training, TrainingTesting.toDoubles(inference)) > 1e-3,
                    "dropout 0.3 changed nothing while training");
        }
    }

    /** What one comparison measured: the worst relative error of the logits and of any parameter's gradient. */
    private record Comparison(double logitsError, double worstGradientError, String worstParameter) {
        void assertWithin(double logitsBound, double gradientBound, String what) {
            System.out.printf("%s: logits relative error %.3g, worst gradient %.3g (%s)%n", what, logitsError,
                    worstGradientError, worstParameter);
            assertTrue(logitsError < logitsBound, what + ": logits relative error " + logitsError);
            assertTrue(worstGradientError < gradientBound,
                    what + ": " + worstParameter + " gradient relative error " + worstGradientError);
        }
    }

    private static Comparison compare(GptConfig config, Compute compute) {
        return compare(config, compute, 1);
    }

    /** Compares with the candidate's loss multiplied by {@code lossScale} for backward, its gradients divided after. */
    private static Comparison compare(GptConfig config, Compute compute, float lossScale) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt reference = initialized(new Gpt(config), manager);
            Gpt candidate = initialized(new Gpt(config, compute), manager);
            copyWeights(reference, candidate);
            int[][] tokens = TrainingTesting.fixedIds(BATCH, T + 1, config.vocabSize(), 7);
            float[] referenceLogits = logitsAndGradients(reference, manager, tokens, 1);
            float[] candidateLogits = logitsAndGradients(candidate, manager, tokens, lossScale);
            double logitsError = TrainingTesting.relativeError(candidateLogits, TrainingTesting.toDoubles(referenceLogits));
            Map<String, float[]> expected = gradients(reference);
            Map<String, float[]> actual = gradients(candidate);
            actual.values().forEach(g -> {
                for (int i = 0; i < g.length; i++) {
                    g[i] /= lossScale;
                }
            });
            assertEquals(expected.keySet(), actual.keySet());
            double worst = 0;
            String worstName = "";
            for (String name : expected.keySet()) {
                double error = TrainingTesting.relativeError(actual.get(name), TrainingTesting.toDoubles(expected.get(name)));
                if (error >= worst) {
                    worst = error;
                    worstName = name;
                }
            }
            return new Comparison(logitsError, worst, worstName);
        }
    }

    private static Gpt initialized(Gpt gpt, NDManager manager) {
        Engine.getInstance().setRandomSeed(5);
        gpt.initialize(manager, DataType.FLOAT32, new Shape(BATCH, T));
        return gpt;
    }

    private static void copyWeights(Gpt from, Gpt to) {
        var source = from.getParameters();
        var target = to.getParameters();
        for (int i = 0; i < source.size(); i++) {
            assertEquals(source.get(i).getKey(), target.get(i).getKey());
            target.get(i).getValue().getArray().set(source.get(i).getValue().getArray().toFloatArray());
        }
    }

    /** Logits of a fixed batch, and the gradients of its loss left on the parameters. */
    private static float[] logitsAndGradients(Gpt gpt, NDManager manager, int[][] tokens, float lossScale) {
        Gradients.zero(gpt.getParameters());
        try (NDManager step = manager.newSubManager();
                var collector = Engine.getInstance().newGradientCollector()) {
            NDArray sequences = step.create(tokens);                                        // (B, T + 1)
            NDArray logits = gpt.forward(new ParameterStore(step, false), new NDList(sequences.get(":, :-1")), true)
                    .singletonOrThrow();                                                   // (B, T, V)
            collector.backward(new LanguageModelLoss().crossEntropy(logits, sequences.get(":, 1:")).mul(lossScale));
            return logits.toFloatArray();
        }
    }

    private static Map<String, float[]> gradients(Gpt gpt) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        for (Pair<String, Parameter> named : gpt.getParameters()) {
            gradients.put(named.getKey(), TrainingTesting.gradientOf(named.getValue().getArray()));
        }
        return gradients;
    }
}
