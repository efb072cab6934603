package org.scratchgpt.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;

/**
 * A GPT written as a TorchScript module file and loaded back by libtorch through DJL computes ScratchGPT's logits:
 * the plain entry point {@code forward(ids)} for every kind of positions, with and without biases, tied or not,
 * either GELU.
 */
class GptModuleFileTest {

    static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, {0, 2, 4, 6, 8, 10, 1, 3, 5, 7}};

    @TempDir Path dir;

    /** A small GPT of {@code positions} whose every weight, biases and norms included, is random. */
    static Gpt randomGpt(NDManager manager, PositionalEncoding positions, boolean bias, boolean tied, String gelu) {
        GptConfig config = new GptConfig(11, 12, 2, 2, 16, 0.0, bias, positions, tied)
                .withOverrides(Map.of("gelu", gelu, "layer_norm_epsilon", "1e-4"));
        Gpt gpt = new Gpt(config);
        gpt.initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
        Random random = new Random(positions.ordinal() * 4 + (bias ? 2 : 0) + (tied ? 1 : 0));
        for (Pair<String, Parameter> named : gpt.getParameters()) {
            NDArray array = named.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 0.3);
            }
            array.set(values);
        }
        return gpt;
    }

    static float[] scratchLogits(Gpt gpt, NDManager manager) {
        NDArray ids = manager.create(IDS);                                         // (B, T) int64
        return gpt.forward(new ParameterStore(manager, false), new NDList(ids), false)
                .singletonOrThrow().toFloatArray();                                 // (B, T, V)
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertTrue(expected.length == actual.length, what + ": " + actual.length + " logits, expected " + expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("%s: max |logit difference| %.2e%n", what, worst);
        assertTrue(worst <= tolerance, what + ": logits differ by " + worst);
    }

    @ParameterizedTest(name = "{0}, bias {1}, tied {2}, gelu {3}")
    @CsvSource({
        "LEARNED, true, true, tanh",
        "LEARNED, false, false, exact",
        "SINUSOIDAL, true, false, exact",
        "SINUSOIDAL, false, true, tanh",
        "ROTARY, true, true, exact",
        "ROTARY, false, false, tanh",
    })
    void theModuleFileComputesScratchGptsLogits(PositionalEncoding positions, boolean bias, boolean tied,
                                                String gelu) throws Exception {
        Path file = dir.resolve("model.pt");
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = randomGpt(manager, positions, bias, tied, gelu);
            expected = scratchLogits(gpt, manager);
            GptModuleFile.write(gpt, gpt.config().vocabSize(), file);
        }
        try (Model model = Model.newInstance("exported", "PyTorch"); NDManager manager = NDManager.newBaseManager()) {
            model.load(file);
            NDList out = model.getBlock().forward(new ParameterStore(manager, false),
                    new NDList(manager.create(IDS)), false);
            assertArrayEquals(new long[] {2, 10, 11}, out.get(0).getShape().getShape());
            assertClose(expected, out.get(0).toFloatArray(), 1e-5, positions + " bias " + bias + " tied " + tied);
        }
    }

    @Test
    void idsBeyondTheTokenizersVocabularyScoreMinusInfinity() throws Exception {
        Path file = dir.resolve("model.pt");
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = randomGpt(manager, PositionalEncoding.LEARNED, true, true, "exact");
            expected = scratchLogits(gpt, manager);
            GptModuleFile.write(gpt, 7, file);                                   // 7 of the 11 ids are tokens
        }
        try (Model model = Model.newInstance("exported", "PyTorch"); NDManager manager = NDManager.newBaseManager()) {
            model.load(file);
            float[] actual = model.getBlock().forward(new ParameterStore(manager, false),
                    new NDList(manager.create(IDS)), false).get(0).toFloatArray(); // (B, T, 11)
            for (int i = 0; i < expected.length; i++) {
                if (i % 11 < 7) {
                    assertEquals(expected[i], actual[i], 1e-5, "token " + i % 11);
                } else {
                    assertEquals(Float.NEGATIVE_INFINITY, actual[i], "padding id " + i % 11);
                }
            }
        }
    }

    /**
     * Asked to compute in bfloat16 (or float16), the module runs as ScratchGPT runs with {@code --precision bf16}
     * (16-bit products and fused attention, float32 weights and logits) and stays near the float32 logits.
     */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"LEARNED, BF16", "SINUSOIDAL, BF16", "ROTARY, BF16", "LEARNED, FP16"})
    void in16BitsTheModuleComputesAsScratchGptDoesWithThatPrecision(PositionalEncoding positions, Precision precision)
            throws Exception {
        Path file = dir.resolve("model-bf16.pt");
        float[] reference;
        float[] bf16;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = randomGpt(manager, positions, true, true, "tanh");
            reference = scratchLogits(gpt, manager);
            Gpt reduced = new Gpt(gpt.config(), new Compute(precision, true)); // the same weights, 16 bits
            reduced.initialize(manager, DataType.FLOAT32, new Shape(1, gpt.config().contextLength()));
            for (Pair<String, Parameter> named : gpt.getParameters()) {
                reduced.getParameters().get(named.getKey()).getArray().set(named.getValue().getArray().toFloatArray());
            }
            bf16 = scratchLogits(reduced, manager);
            GptModuleFile.write(gpt, gpt.config().vocabSize(), precision, file);
        }
        try (Model model = Model.newInstance("exported", "PyTorch"); NDManager manager = NDManager.newBaseManager()) {
            model.load(file);
            NDArray logits = model.getBlock().forward(new ParameterStore(manager, false),
                    new NDList(manager.create(IDS)), false).get(0);
            assertEquals(DataType.FLOAT32, logits.getDataType(), "float32 logits out");
            float[] actual = logits.toFloatArray();
            assertClose(bf16, actual, 1e-3, positions + " " + precision + " module vs ScratchGPT --precision " + precision);
            assertClose(reference, actual, 2e-2, positions + " " + precision + " module vs float32");
        }
    }
}
