package org.scratchgpt.tokenizer;

/**
 * Finds where a byte sequence stops being valid UTF-8, so that arbitrary bytes can be tokenized:
 * valid stretches are split like text, invalid bytes become words of their own.
 */
final class Utf8 {
    private Utf8() {}

    /** The length of the valid UTF-8 sequence starting at {@code i}, or 0 when the byte there starts none. */
    static int validSequenceLength(byte[] b, int i) {
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int length;
        int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            min = 0x10000;
        } else {
            return 0; // a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF (F5..FF)
        }
        if (i + length > b.length) {
            return 0;
        }
        int codePoint = b0 & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
            int bk = b[i + k] & 0xFF;
            if ((bk & 0xC0) != 0x80) {
                return 0;
            }
            codePoint = (codePoint << 6) | (bk & 0x3F);
        }
        boolean surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
        return codePoint < min || codePoint > 0x10FFFF || surrogate ? 0 : length;
    }

    /** The end of the run of valid UTF-8 that starts at {@code from}. */
    static int validRunEnd(byte[] b, int from) {
        int i = from;
        int n;
        while (i < b.length && (n = validSequenceLength(b, i)) > 0) {
            i += n;
        }
        return i;
    }

    /** The end of the run of bytes, starting at {@code from}, that begin no valid UTF-8 sequence. */
    static int invalidRunEnd(byte[] b, int from) {
        int i = from;
        while (i < b.length && validSequenceLength(b, i) == 0) {
            i++;
        }
        return i;
    }
}
