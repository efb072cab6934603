package org.scratchgpt.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchgpt.generation.NextTokenSampler;
import org.scratchgpt.generation.NextTokenScores;
import org.scratchgpt.generation.TokenHistory;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;

/**
 * A whole small GPT converted for generation: its logits stay close to the float32 model's, the KV cache gives the
 * same greedy tokens as running the whole window in the same format, and the token embedding a tied head shares is
 * left as it was.
 */
class GenerationWeightsTest {

    private static final int CONTEXT = 32;
    /** 2 layers, 2 heads, 64 wide (the int8 kernel's packed path: widths of 64 and 256), 50 tokens, biases. */
    private static final GptConfig CONFIG = new GptConfig(50, CONTEXT, 2, 2, 64, 0.0, true, PositionalEncoding.LEARNED,
            true);

    static List<Arguments> formats() {
        List<Arguments> formats = new ArrayList<>();
        formats.add(Arguments.of(Precision.BF16, WeightFormat.SIXTEEN_BIT));
        formats.add(Arguments.of(Precision.BF16, WeightFormat.INT8));
        formats.add(Arguments.of(Precision.FP32, WeightFormat.INT8));
        return formats;
    }

    /**
     * bfloat16 rounds every product's inputs and results to 8 bits of mantissa, int8 rounds each weight to within 0.4%
     * of its row's largest; through 2 layers and the head, the logits move by a few percent of their spread at most.
     * 5% of the largest float32 logit bounds it (a transposed matrix or a lost scale is off by 100% or more).
     */
    @ParameterizedTest(name = "{1} weights, {0} compute")
    @MethodSource("formats")
    void logitsStayCloseToTheFloat32Model(Precision precision, WeightFormat format) {
        try (Model reference = model(new Compute(Precision.FP32, true));
                Model converted = model(new Compute(precision, true))) {
            GenerationWeights.convert((Gpt) converted.getBlock(), format);
            float[] expected = logits(reference);
            float[] actual = logits(converted);
            double largest = 0;
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                largest = Math.max(largest, Math.abs(expected[i]));
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(worst > 0, "the weights were converted: the logits changed");
            assertTrue(worst <= 0.05 * largest, format + ": logits off by " + worst + ", the largest is " + largest);
        }
    }

    /** Greedy generation past the context (re-prefilled at the limit) gives the same tokens with and without the cache. */
    @ParameterizedTest(name = "{1} weights, {0} compute")
    @MethodSource("formats")
    void theCacheGivesTheSameGreedyTokensAsTheWholeWindow(Precision precision, WeightFormat format) {
        try (Model model = model(new Compute(precision, true))) {
            Gpt gpt = (Gpt) model.getBlock();
            GenerationWeights.convert(gpt, format);
            assertArrayEquals(greedy(gpt, model.getNDManager(), false), greedy(gpt, model.getNDManager(), true));
        }
    }

    @Test
    void aTiedHeadIsConvertedAndTheTokenEmbeddingKeepsItsFloat32Matrix() {
        try (Model model = model(new Compute(Precision.BF16, true))) {
            Gpt gpt = (Gpt) model.getBlock();
            float[] before = embedding(gpt).toFloatArray();
            GenerationWeights.convert(gpt, WeightFormat.INT8);
            assertEquals(DataType.FLOAT32, embedding(gpt).getDataType());
            assertArrayEquals(before, embedding(gpt).toFloatArray());
            assertTrue(gpt.getChildren().keys().stream().anyMatch(name -> name.endsWith("headConverted")));
        }
    }

    @Test
    void aConvertedModelRefusesTraining() {
        try (Model model = model(new Compute(Precision.BF16, true))) {
            Gpt gpt = (Gpt) model.getBlock();
            GenerationWeights.convert(gpt, WeightFormat.SIXTEEN_BIT);
            NDArray ids = model.getNDManager().zeros(new Shape(1, 4), DataType.INT32);
            assertThrows(IllegalStateException.class,
                    () -> gpt.forward(new ParameterStore(model.getNDManager(), false), new NDList(ids), true));
        }
    }

    /**
     * The bytes a step reads: each matrix at its format's bytes per weight, int8 with a 2-byte scale per row, biases
     * (4 bytes, 2 once converted) and layer norms (4). Counted by hand for this model: per layer, C x 3C, C x C,
     * C x 4C and 4C x C; the head V x C.
     */
    @Test
    void theBytesAStepReadsFollowTheFormat() {
        long c = 64;
        long matrices = 2 * (c * 3 * c + c * c + c * 4 * c + 4 * c * c) + 50 * c;
        long biases = 2 * (3 * c + c + 4 * c + c);
        long rows = biases + 50;                                               // one scale per output row
        long norms = (2 * 2 + 1) * 2 * c;                                      // gain and shift of 5 layer norms
        assertEquals(4 * matrices + 4 * biases + 4 * norms, bytesPerTokenIn(Compute.REFERENCE, WeightFormat.FLOAT32));
        assertEquals(2 * matrices + 2 * biases + 4 * norms,
                bytesPerTokenIn(new Compute(Precision.BF16, true), WeightFormat.SIXTEEN_BIT));
        assertEquals(matrices + 2 * rows + 2 * biases + 4 * norms,
                bytesPerTokenIn(Compute.REFERENCE, WeightFormat.INT8));
    }

    /** {@link GenerationWeights#bytesPerToken} of the test's model computing as {@code compute}, converted. */
    private static long bytesPerTokenIn(Compute compute, WeightFormat format) {
        try (Model model = model(compute)) {
            Gpt gpt = (Gpt) model.getBlock();
            GenerationWeights.convert(gpt, format);
            return GenerationWeights.bytesPerToken(gpt);
        }
    }

    private static int[] greedy(Gpt gpt, NDManager manager, boolean kvCache) {
        TokenHistory stream = new TokenHistory(new int[] {1, 2, 3});
        int[] tokens = new int[40];
        try (NextTokenScores scores = NextTokenScores.of(gpt, manager, kvCache)) {
            for (int step = 0; step < tokens.length; step++) {                 // 3 + 40 > context 32
                tokens[step] = NextTokenSampler.argmax(scores.next(List.of(stream))[0]);
                stream.append(tokens[step]);
            }
        }
        return tokens;
    }

    private static float[] logits(Model model) {
        try (NDManager step = model.getNDManager().newSubManager()) {
            int[] ids = new int[CONTEXT];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 7) % CONFIG.vocabSize();
            }
            NDArray batch = step.create(ids, new Shape(1, CONTEXT));
            return model.getBlock().forward(new ParameterStore(step, false), new NDList(batch), false)
                    .singletonOrThrow().toFloatArray();                         // (1, T, V)
        }
    }

    private static NDArray embedding(Gpt gpt) {
        return gpt.getParameters().stream().filter(pair -> pair.getKey().contains("tokenEmbedding"))
                .findFirst().orElseThrow().getValue().getArray();
    }

    /** The same random weights (seed 5) for every compute. */
    private static Model model(Compute compute) {
        Model model = Model.newInstance("tiny");
        Gpt gpt = new Gpt(CONFIG, compute);
        model.setBlock(gpt);
        Engine.getInstance().setRandomSeed(5);
        gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, CONTEXT));
        return model;
    }
}
