package org.scratchgpt.curation.read;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns raw bytes into text, noticing invalid UTF-8 (a file in Latin-1, a truncated multi-byte character) instead
 * of silently replacing it as {@code new String(bytes, UTF_8)} would: what happens then is the user's choice,
 * drop the document or repair it with U+FFFD for each bad sequence ({@link InvalidUtf8}).
 */
final class Utf8Decoding {
    /** The text, or null when the bytes were invalid; {@code repaired} is the text with replacements then. */
    record Decoded(String text, String repaired) {
        boolean valid() {
            return text != null;
        }
    }

    private Utf8Decoding() {}

    static Decoded decode(byte[] bytes, int length) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = strict.decode(ByteBuffer.wrap(bytes, 0, length));
            return new Decoded(chars.toString(), null);
        } catch (CharacterCodingException e) {
            return new Decoded(null, new String(bytes, 0, length, StandardCharsets.UTF_8));
        }
    }
}
