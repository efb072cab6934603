package org.scratchgpt.generation;

import org.scratchgpt.UserError;

/**
 * How to pick each next token, and when to stop. The defaults are those of nanoGPT's {@code sample.py}.
 *
 * @param temperature divides the logits before softmax: below 1 sharpens the distribution, above 1 flattens it;
 *     0 means greedy (always the most likely token)
 * @param topK keep only the k most likely tokens before sampling; 0 keeps all
 * @param topP keep only the smallest set of most likely tokens whose probabilities add up to at least p
 *     (nucleus sampling); 1.0 keeps all
 * @param seed seeds the random draws, so that the same settings give the same text
 * @param maxNewTokens how many tokens to generate (fewer if the stop token comes first), at least 1; nothing is
 *     allocated for them up front, so a huge number with a stop token is fine
 * @param stopToken an id that ends generation when sampled, e.g. {@code <|endoftext|>}; it is not part of the
 *     output. {@link #NO_STOP_TOKEN} for none.
 */
public record SamplingSettings(
        double temperature,
        int topK,
        double topP,
        long seed,
        int maxNewTokens,
        int stopToken) {

    public static final int NO_STOP_TOKEN = -1;

    /** nanoGPT's sample.py: temperature 0.8, top_k 200, seed 1337, 500 new tokens; no top-p, no stop token. */
    public static final SamplingSettings DEFAULTS = new SamplingSettings(0.8, 200, 1.0, 1337, 500, NO_STOP_TOKEN);

    public SamplingSettings {
        // Written as !(x >= 0) so that NaN fails too.
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new UserError("temperature " + temperature + " must be a number >= 0: use 0 for greedy decoding,"
                    + " 0.8 for nanoGPT's default, 1.0 to sample the model's own distribution");
        }
        if (topK < 0) {
            throw new UserError("top-k " + topK + " is negative: use 0 to turn it off, or e.g. 200 to keep"
                    + " the 200 most likely tokens");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new UserError("top-p " + topP + " is outside (0, 1]: use 1.0 to turn it off, or e.g. 0.9 to keep"
                    + " the most likely tokens that make up 90% of the probability");
        }
        if (maxNewTokens < 1) {
            throw new UserError("max new tokens " + maxNewTokens + " must be at least 1: give how many tokens to"
                    + " generate, e.g. 500 (--max-tokens 500)");
        }
        if (stopToken < NO_STOP_TOKEN) {
            throw new UserError("stop token id " + stopToken + " is negative: give a token id, or "
                    + NO_STOP_TOKEN + " for none");
        }
    }

    /** Temperature 0: no randomness, always the most likely token. */
    public boolean isGreedy() {
        return temperature == 0;
    }

    public boolean hasStopToken() {
        return stopToken != NO_STOP_TOKEN;
    }

    public SamplingSettings withTemperature(double value) {
        return new SamplingSettings(value, topK, topP, seed, maxNewTokens, stopToken);
    }

    public SamplingSettings withTopK(int value) {
        return new SamplingSettings(temperature, value, topP, seed, maxNewTokens, stopToken);
    }

    public SamplingSettings withTopP(double value) {
        return new SamplingSettings(temperature, topK, value, seed, maxNewTokens, stopToken);
    }

    public SamplingSettings withSeed(long value) {
        return new SamplingSettings(temperature, topK, topP, value, maxNewTokens, stopToken);
    }

    public SamplingSettings withMaxNewTokens(int value) {
        return new SamplingSettings(temperature, topK, topP, seed, value, stopToken);
    }

    public SamplingSettings withStopToken(int value) {
        return new SamplingSettings(temperature, topK, topP, seed, maxNewTokens, value);
    }
}
