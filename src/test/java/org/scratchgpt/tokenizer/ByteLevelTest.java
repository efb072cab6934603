package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelTest {
    @Test
    void everyByteHasItsOwnVisibleCharacter() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf(b);
            assertEquals(false, Character.isWhitespace(c), "byte " + b + " must be visible");
            seen.add(c);
        }
        assertEquals(256, seen.size());
    }

    @Test
    void matchesGpt2sWellKnownStandIns() {
        assertEquals('Ġ', ByteLevel.charOf(' '));
        assertEquals('Ċ', ByteLevel.charOf('\n'));
        assertEquals('a', ByteLevel.charOf('a'));
        assertEquals('Ā', ByteLevel.charOf(0)); // the first non-printable byte goes to U+0100
    }

    @Test
    void roundTripsAllBytes() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        assertArrayEquals(all, ByteLevel.fromVisible(ByteLevel.toVisible(all)));
    }

    @Test
    void rejectsCharactersThatStandForNoByte() {
        assertThrows(IllegalArgumentException.class, () -> ByteLevel.fromVisible("日"));
    }
}
