package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReadableTextTest {
    @Test
    void escapesWhatWouldBreakOrHideInALine() {
        assertEquals("a\\tb\\nc\\r\\\\ \\\"q\\\" \\u0000", ReadableText.escape("a\tb\nc\r\\ \"q\" \u0000"));
    }

    @Test
    void leavesOtherCharactersAlone() {
        assertEquals("Ġthe naïve 你好 🙂", ReadableText.escape("Ġthe naïve 你好 🙂"));
    }

    @Test
    void quotesValidUtf8AsText() {
        assertEquals("\" the\\n\"", ReadableText.quoted(" the\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\"🙂\"", ReadableText.quoted("🙂".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void showsBytesThatAreNoWholeCharacterInHex() {
        byte[] firstHalfOfE = {(byte) 0xC3};
        byte[] strayByteInside = {'a', (byte) 0xFF, 'b'};
        byte[] cutEmoji = {'x', (byte) 0xF0, (byte) 0x9F};

        assertEquals("\"\\xC3\"", ReadableText.quoted(firstHalfOfE));
        assertEquals("\"a\\xFFb\"", ReadableText.quoted(strayByteInside));
        assertEquals("\"x\\xF0\\x9F\"", ReadableText.quoted(cutEmoji));
    }
}
