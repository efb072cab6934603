package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.KvCache;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.tokenizer.CharTokenizer;

/**
 * The KV cache must change the speed of generation, never its result: at every step of a generation that runs
 * far past the context (300 tokens, context 64, so the cache is re-prefilled at the limit), the cached scores must
 * equal the scores of the whole window run again, for every kind of positions and both attention paths.
 */
class KvCacheEquivalenceTest {

    private static final int CONTEXT = 64;
    private static final int STEPS = 300;
    private static final CharTokenizer CHARS = CharTokenizer.fromText(GenerationTesting.TRAINING_TEXT);

    static List<Arguments> float32Paths() {
        List<Arguments> paths = new ArrayList<>();
        for (PositionalEncoding positions : PositionalEncoding.values()) {
            paths.add(Arguments.of(positions, false));
            paths.add(Arguments.of(positions, true));
        }
        return paths;
    }

    /**
     * float32: the two paths do the same arithmetic on differently shaped arrays (one row against T rows, a mask
     * array against the causal flag), so they may round differently in the last bits; 1e-5 leaves room for that and
     * nothing else.
     */
    @ParameterizedTest(name = "{0} positions, fused attention {1}")
    @MethodSource("float32Paths")
    void cachedScoresEqualTheWholeWindowsAtEveryStep(PositionalEncoding positions, boolean fused) {
        assertSameScores(config(positions), new Compute(Precision.FP32, fused), 1e-5);
    }

    /**
     * bfloat16 keeps 8 bits of mantissa: each product is rounded to about 4e-3 of its size, and the cached path
     * rounds different products (one row at a time, a masked kernel) than the window path, through 2 layers and
     * the output head. 3e-2 of the largest score (or of 1) bounds that rounding; the float32 test is the exact check.
     */
    @ParameterizedTest(name = "bf16, {0} positions")
    @MethodSource("allPositions")
    void cachedScoresInBfloat16StayWithinItsRounding(PositionalEncoding positions) {
        assertSameScores(config(positions), new Compute(Precision.BF16, true), 3e-2);
    }

    static PositionalEncoding[] allPositions() {
        return PositionalEncoding.values();
    }

    /** Through the generator, the same seed gives the same text with and without the cache, past the context. */
    @ParameterizedTest(name = "{0} positions")
    @MethodSource("allPositions")
    void theSameSeedGivesTheSameTextWithAndWithoutTheCache(PositionalEncoding positions) {
        try (Model model = model(config(positions), Compute.REFERENCE);
                TextGenerator cached = new TextGenerator(model, config(positions), CHARS, true);
                TextGenerator uncached = new TextGenerator(model, config(positions), CHARS, false)) {
            SamplingSettings settings = SamplingSettings.DEFAULTS.withMaxNewTokens(STEPS).withSeed(7);
            List<Generation> withCache = cached.generateSamples("First", settings, 2, i -> text -> {});
            List<Generation> without = uncached.generateSamples("First", settings, 2, i -> text -> {});
            for (int i = 0; i < 2; i++) {
                assertEquals(STEPS, withCache.get(i).newIds().length);
                assertArrayEquals(without.get(i).newIds(), withCache.get(i).newIds(), "sample " + i);
            }
        }
    }

    /** The cache holds at most context_length positions: one more is refused, not silently mis-positioned. */
    @org.junit.jupiter.api.Test
    void theCacheRefusesAPositionPastTheContext() {
        GptConfig config = config(PositionalEncoding.LEARNED);
        try (Model model = model(config, Compute.REFERENCE);
                NDManager step = model.getNDManager().newSubManager();
                KvCache cache = new KvCache(step, config)) {
            Gpt gpt = (Gpt) model.getBlock();
            ParameterStore store = new ParameterStore(step, false);
            gpt.forwardCached(store, step.zeros(new Shape(1, CONTEXT), DataType.INT32), cache); // (1, 64): full
            assertTrue(cache.isFull());
            IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> gpt.forwardCached(store, step.zeros(new Shape(1, 1), DataType.INT32), cache));
            assertEquals("1 new tokens after 64 cached ones exceed context_length 64: clear the cache and prefill a"
                    + " shorter window", error.getMessage());
            cache.clear();
            assertEquals(0, cache.length());
        }
    }

    /**
     * Both paths score only the last position (the head is the largest product, and generation reads one row of
     * it): (B, V), equal to the last row of the plain forward pass's (B, T, V), with and without a cache.
     */
    @org.junit.jupiter.api.Test
    void onlyTheLastPositionIsScoredAndItEqualsTheForwardPasssLastRow() {
        GptConfig config = config(PositionalEncoding.LEARNED);
        try (Model model = model(config, Compute.REFERENCE);
                NDManager step = model.getNDManager().newSubManager();
                KvCache cache = new KvCache(step, config)) {
            Gpt gpt = (Gpt) model.getBlock();
            ParameterStore store = new ParameterStore(step, false);
            ai.djl.ndarray.NDArray ids = step.create(CHARS.encode("First Citizen"), new Shape(1, 13));
            ai.djl.ndarray.NDArray all = gpt.forward(store, new ai.djl.ndarray.NDList(ids), false)
                    .singletonOrThrow();                                            // (1, 13, V)
            float[] lastRow = all.get(":, -1, :").toFloatArray();
            ai.djl.ndarray.NDArray plain = gpt.nextTokenLogits(store, ids);
            ai.djl.ndarray.NDArray cached = gpt.forwardCached(store, ids, cache);
            assertEquals(new Shape(1, config.vocabSize()), plain.getShape());
            assertEquals(new Shape(1, config.vocabSize()), cached.getShape());
            assertArrayEquals(lastRow, plain.toFloatArray(), 1e-5f);
            assertArrayEquals(lastRow, cached.toFloatArray(), 1e-5f);
        }
    }

    /**
     * Drives both scorers with the same two streams for 300 steps, the tokens drawn from the reference's scores,
     * and compares the scores at every step: max |cached - uncached| <= tolerance x max(1, max |uncached|).
     */
    private static void assertSameScores(GptConfig config, Compute compute, double tolerance) {
        try (Model model = model(config, compute);
                NextTokenScores cached = new CachedScores((Gpt) model.getBlock(), model.getNDManager());
                NextTokenScores uncached = new UncachedScores((Gpt) model.getBlock(), model.getNDManager())) {
            List<TokenHistory> streams = List.of(new TokenHistory(CHARS.encode("First")),
                    new TokenHistory(CHARS.encode("Speak")));
            List<NextTokenSampler> samplers = List.of(new NextTokenSampler(SamplingSettings.DEFAULTS.withSeed(1)),
                    new NextTokenSampler(SamplingSettings.DEFAULTS.withSeed(2)));
            for (int step = 0; step < STEPS; step++) {
                float[][] expected = uncached.next(streams);                       // (B, V)
                float[][] actual = cached.next(streams);                           // (B, V)
                for (int b = 0; b < streams.size(); b++) {
                    double scale = 1;
                    double worst = 0;
                    for (int v = 0; v < expected[b].length; v++) {
                        scale = Math.max(scale, Math.abs(expected[b][v]));
                        worst = Math.max(worst, Math.abs(actual[b][v] - expected[b][v]));
                    }
                    assertTrue(worst <= tolerance * scale, "step " + step + ", stream " + b + ": scores differ by "
                            + worst + " (tolerance " + tolerance * scale + ") at length " + streams.get(b).length());
                    streams.get(b).append(samplers.get(b).next(expected[b]));
                }
            }
            assertEquals(5 + STEPS, streams.get(0).length(), "the streams ran far past the context of " + CONTEXT);
        }
    }

    /** 2 layers of 2 heads, 32 wide, context 64, the tokenizer's vocabulary. */
    private static GptConfig config(PositionalEncoding positions) {
        return new GptConfig(CHARS.vocabSize(), CONTEXT, 2, 2, 32, 0.0, true, positions, true);
    }

    private static Model model(GptConfig config, Compute compute) {
        Model model = Model.newInstance("tiny");
        Gpt gpt = new Gpt(config, compute);
        model.setBlock(gpt);
        Engine.getInstance().setRandomSeed(11);
        gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, CONTEXT));
        return model;
    }
}
