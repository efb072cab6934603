package org.scratchgpt.generation;

import java.util.function.Consumer;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * Hands out the text of generated tokens as they come, one token at a time, in pieces that are always whole
 * characters (see {@link IncrementalUtf8Decoder}). A piece may hold the text of several tokens, or a token may
 * give no piece at all, when its bytes end in the middle of a character.
 */
final class TokenTextStream {

    private final Tokenizer tokenizer;
    private final Consumer<String> onText;
    private final IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();

    TokenTextStream(Tokenizer tokenizer, Consumer<String> onText) {
        this.tokenizer = tokenizer;
        this.onText = onText;
    }

    void accept(int tokenId) {
        emit(decoder.decode(tokenizer.decodeBytes(new int[] {tokenId})));
    }

    /** Emits what is still held back (as U+FFFD: the tokens ended inside a character). */
    void finish() {
        emit(decoder.finish());
    }

    private void emit(String text) {
        if (!text.isEmpty()) {
            onText.accept(text);
        }
    }
}
