package org.scratchgpt.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Shows token text so that every character can be seen. Tokens are often a lone space, a newline, or
 * part of a multi-byte character: printed as they are, they would vanish, break the line, or turn into
 * a replacement character.
 */
final class ReadableText {
    private ReadableText() {}

    /** {@code s} on one line: backslash, quote, tab, newline and other control characters escaped. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        appendEscaped(sb, s);
        return sb.toString();
    }

    /**
     * The bytes as quoted text, e.g. {@code " the"} or {@code "\n"}: valid UTF-8 is shown escaped as by
     * {@link #escape}, each byte that is not (half of a character, say) as {@code \xNN}.
     */
    static String quoted(byte[] bytes) {
        // The JDK's decoder is strict by default (it reports bad bytes rather than replacing them).
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer decoded = CharBuffer.allocate(bytes.length);
        StringBuilder sb = new StringBuilder("\"");
        CoderResult result;
        do {
            result = decoder.decode(in, decoded, true);
            appendEscaped(sb, decoded.flip());
            decoded.clear();
            for (int i = 0; result.isError() && i < result.length(); i++) {
                sb.append(String.format("\\x%02X", in.get() & 0xFF));
            }
        } while (result.isError());
        return sb.append('"').toString();
    }

    private static void appendEscaped(StringBuilder sb, CharSequence text) {
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\u%04X", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
    }
}
