package org.scratchgpt.generation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns bytes that arrive in pieces into text, emitting only whole characters. A byte-level BPE token can end
 * in the middle of a character ('é' is two bytes, an emoji four, and they may be split over two or more
 * tokens); printing such a token on its own would show a replacement character where the real one belongs.
 * So the bytes of an incomplete character at the end are held back until the rest arrives.
 *
 * <p>The work is done by the JDK's own UTF-8 {@link CharsetDecoder}, which is built for exactly this: told that
 * more input may follow, it decodes what it can and leaves an incomplete tail unread. Bytes that can never be
 * valid UTF-8 become U+FFFD at once, so the pieces put together equal {@code new String(allBytes, UTF_8)}.
 */
final class IncrementalUtf8Decoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] heldBack = new byte[0]; // the start of a character whose last bytes have not arrived yet

    /** The complete characters that {@code bytes}, after what was held back, make; possibly empty. */
    String decode(byte[] bytes) {
        return decode(bytes, false);
    }

    /** What is still held back, as U+FFFD: the text ended in the middle of a character. Ready for reuse after. */
    String finish() {
        String rest = decode(new byte[0], true);
        decoder.reset();
        return rest;
    }

    private String decode(byte[] bytes, boolean endOfInput) {
        ByteBuffer in = ByteBuffer.allocate(heldBack.length + bytes.length).put(heldBack).put(bytes).flip();
        // UTF-8 never gives more chars than bytes (4 bytes -> a surrogate pair of 2 chars), so this is enough.
        CharBuffer out = CharBuffer.allocate(in.remaining());
        decoder.decode(in, out, endOfInput);
        if (endOfInput) {
            decoder.flush(out);
        }
        heldBack = new byte[in.remaining()];
        in.get(heldBack);
        return out.flip().toString();
    }
}
