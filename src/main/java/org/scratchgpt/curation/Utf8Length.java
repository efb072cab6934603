package org.scratchgpt.curation;

/** The UTF-8 size of a text, counted without encoding it (the report adds it up for every document and stage). */
public final class Utf8Length {
    private Utf8Length() {}

    public static long of(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4; // a pair: one code point above U+FFFF
                i++;
            } else {
                bytes += 3; // what Java writes for a lone surrogate is not worth the care
            }
        }
        return bytes;
    }
}
