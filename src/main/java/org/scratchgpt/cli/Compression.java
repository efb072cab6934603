package org.scratchgpt.cli;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * How well a tokenizer compresses a text, in UTF-8 bytes per token. More bytes per token means shorter
 * sequences, so a model with the same context length sees more of the text at once.
 *
 * @param bytes  the text's length in UTF-8 bytes
 * @param tokens how many tokens the tokenizer makes of it (special-token strings count as plain text)
 */
record Compression(long bytes, long tokens) {

    static Compression of(Tokenizer tokenizer, String text) {
        return new Compression(text.getBytes(StandardCharsets.UTF_8).length, tokenizer.encode(text).length);
    }

    double bytesPerToken() {
        return tokens == 0 ? 0 : (double) bytes / tokens;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d bytes -> %,d tokens, %.2f bytes per token", bytes, tokens,
                bytesPerToken());
    }
}
