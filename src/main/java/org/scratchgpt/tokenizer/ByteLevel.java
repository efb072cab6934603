package org.scratchgpt.tokenizer;

import java.io.ByteArrayOutputStream;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable Unicode characters.
 *
 * <p>Why: a byte-level BPE works on bytes, but vocabularies are stored as text (tokenizer.json).
 * Raw bytes such as 0x0A or 0x20 would be invisible or ambiguous there, so every byte gets a visible
 * stand-in: printable Latin-1 bytes stand for themselves ('a' is "a"), the others are shifted to
 * U+0100 and up (a space becomes "Ġ", a newline "Ċ"). This is exactly GPT-2's {@code bytes_to_unicode}.
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    /** The visible stand-in for one byte. */
    public static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** Bytes to their visible form, e.g. {@code " hi"} (0x20 0x68 0x69) to {@code "Ġhi"}. */
    public static String toVisible(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** The inverse of {@link #toVisible}; a character outside the 256 stand-ins is an error. */
    public static byte[] fromVisible(String visible) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(visible.length());
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("'" + visible + "' is not a byte-level token: character U+"
                        + String.format("%04X", (int) c) + " stands for no byte");
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** True when every character of {@code s} is one of the 256 byte stand-ins. */
    public static boolean isVisibleBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] < 0) {
                return false;
            }
        }
        return true;
    }
}
