package org.scratchgpt.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.scratchgpt.generation.NextTokenSampler;
import org.scratchgpt.generation.NextTokenScores;
import org.scratchgpt.generation.TokenHistory;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.plan.SpeedRatio;
import org.scratchgpt.plan.Timing;
import org.scratchgpt.quantize.GenerationWeights;
import org.scratchgpt.quantize.WeightFormat;

/**
 * Times text generation with and without the KV cache on a randomly initialised model (the speed does not depend
 * on the weights), greedy, batch 1, from a prompt of random ids. Also measures what bounds a cached step: each new
 * token must read every weight once, so a step cannot be faster than the weights' bytes over the memory bandwidth.
 */
public final class GenerateBench implements AutoCloseable {

    /**
     * @param tokensPerSecond new tokens over the whole generation's time, prefill included, as a user sees it
     * @param medianStepSeconds the median time of one step after the first (for the cached path, one decode step)
     */
    public record Result(double tokensPerSecond, double medianStepSeconds) {}

    private final Model model;
    private final Gpt gpt;
    private final int[] prompt;

    /**
     * A model of {@code config}'s shape with random weights on {@code device}, converted to {@code weights} as
     * generation converts a loaded model; a prompt of {@code promptLength} ids.
     */
    public GenerateBench(GptConfig config, Compute compute, WeightFormat weights, Device device, int promptLength) {
        this.model = Model.newInstance("bench", device);
        this.gpt = new Gpt(config, compute);
        model.setBlock(gpt);
        Engine.getInstance().setRandomSeed(1);
        gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.contextLength()));
        GenerationWeights.convert(gpt, weights);
        Random random = new Random(2);
        this.prompt = random.ints(promptLength, 0, config.vocabSize()).toArray();
    }

    /**
     * The bytes of weights a step reads: every matrix once (a tied matrix once), at its format's bytes per weight,
     * with int8's scales ({@link GenerationWeights#bytesPerToken}).
     */
    public long weightBytes() {
        return GenerationWeights.bytesPerToken(gpt);
    }

    /**
     * Untimed generations of {@code newTokens} tokens on both paths, so that neither is timed while the JIT and
     * libtorch are still warming up on the other's behalf.
     */
    public void warmUp(int newTokens) {
        run(newTokens, true);
        run(newTokens, false);
    }

    /** Times one generation of {@code newTokens} tokens. */
    public Result measure(int newTokens, boolean kvCache) {
        return run(newTokens, kvCache);
    }

    /**
     * Both paths, each the fastest of its rounds, and the cached path's speed-up with the rounds' spread: the
     * paths alternate in rounds until the ratio settles ({@link SpeedRatio}), since one generation of each swung
     * from 0.7x to 4.1x on a busy machine.
     */
    public record Comparison(Result cached, Result uncached, SpeedRatio speedUp) {}

    /** Times generations of {@code newTokens} tokens on both paths, in alternating rounds. */
    public Comparison compare(int newTokens, SpeedRatio.Rounds rounds) {
        Result[] best = new Result[2]; // cached, uncached
        SpeedRatio speedUp = SpeedRatio.measureWarm(() -> timed(newTokens, true, best, 0),
                () -> timed(newTokens, false, best, 1), rounds);
        return new Comparison(best[0], best[1], speedUp);
    }

    /** Runs one generation, keeps it in {@code best[slot]} when it is the fastest yet, and returns its seconds. */
    private double timed(int newTokens, boolean kvCache, Result[] best, int slot) {
        Result result = run(newTokens, kvCache);
        if (best[slot] == null || result.tokensPerSecond() > best[slot].tokensPerSecond()) {
            best[slot] = result;
        }
        return newTokens / result.tokensPerSecond();
    }

    private Result run(int newTokens, boolean kvCache) {
        double[] steps = new double[newTokens];
        List<TokenHistory> stream = List.of(new TokenHistory(prompt));
        long start = System.nanoTime();
        try (NextTokenScores scores = NextTokenScores.of(gpt, model.getNDManager(), kvCache)) {
            for (int i = 0; i < newTokens; i++) {
                long stepStart = System.nanoTime();
                float[] logits = scores.next(stream)[0];                         // (V)
                stream.get(0).append(NextTokenSampler.argmax(logits));
                steps[i] = (System.nanoTime() - stepStart) / 1e9;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] afterFirst = java.util.Arrays.copyOfRange(steps, Math.min(1, newTokens - 1), newTokens);
        return new Result(newTokens / seconds, Timing.median(afterFirst));
    }

    /**
     * Memory bandwidth through libtorch: the median time to sum a {@code megabytes} float32 array (every byte read
     * once, one number written), as bytes per second. The array is much larger than any cache, as the weights are.
     */
    public static double readBandwidth(Device device, int megabytes, int runs) {
        long count = megabytes * 1024L * 1024 / 4;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray big = manager.ones(new Shape(count));
            double seconds = Timing.medianSeconds(2, runs, () -> {
                try (NDArray sum = big.sum()) {
                    return (long) sum.getFloat();
                }
            });
            return 4.0 * count / seconds;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
