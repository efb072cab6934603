package org.scratchgpt.cli;

import org.scratchgpt.generation.SamplingSettings;
import picocli.CommandLine.Option;

/** How the next token is drawn: {@code --temperature}, {@code --top-k}, {@code --top-p}, {@code --seed}; sample and chat share them. */
final class SamplingOptions {
    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Below 1 sharpens, above 1 flattens; 0 always takes the likeliest token (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "200",
            description = "Keep only the k likeliest tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0",
            description = "Keep the likeliest tokens whose probabilities add up to p; 1 keeps all (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1337", description = "Same seed, same text (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The settings these options give, with {@code maxNewTokens}; checked here, so a mistyped value fails at once. */
    SamplingSettings settings(int maxNewTokens) {
        return SamplingSettings.DEFAULTS.withTemperature(temperature).withTopK(topK).withTopP(topP).withSeed(seed)
                .withMaxNewTokens(maxNewTokens);
    }
}
