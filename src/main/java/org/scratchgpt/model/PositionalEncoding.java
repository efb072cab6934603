package org.scratchgpt.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;

/**
 * How the model learns where each token sits in the sequence. Attention by itself is blind to order, so
 * something must tell position 3 from position 7: a learned table added to the embeddings (GPT-2), a fixed
 * table of sines added to the embeddings (the original Transformer), or a rotation of queries and keys
 * inside attention (rotary, used by LLaMA and most recent models).
 */
public enum PositionalEncoding {
    /** A trained (context_length, n_embd) table added to the token embeddings. */
    LEARNED,
    /** A fixed table of sines and cosines added to the token embeddings; nothing to train. */
    SINUSOIDAL,
    /** Queries and keys are rotated by an angle that grows with position; nothing is added to the embeddings. */
    ROTARY;

    /** The spelling used in JSON files and on the command line. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The encoding named {@code text} (any letter case). */
    public static PositionalEncoding parse(String text) {
        for (PositionalEncoding encoding : values()) {
            if (encoding.jsonName().equalsIgnoreCase(text.strip())) {
                return encoding;
            }
        }
        throw new UserError("unknown positional_encoding '" + text + "': use one of " + knownNames());
    }

    private static String knownNames() {
        return Arrays.stream(values()).map(PositionalEncoding::jsonName).collect(Collectors.joining(", "));
    }
}
