package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncrementalUtf8DecoderTest {

    /** 1-, 2-, 3- and 4-byte characters (the last two 4-byte ones are surrogate pairs in Java). */
    private static final String TEXT = "naïve café — 日本語 🎉𝄞 ok";
    private static final byte[] BYTES = TEXT.getBytes(StandardCharsets.UTF_8);

    @Test
    void splittingAnywhereNeverBreaksACharacter() {
        for (int cut = 0; cut <= BYTES.length; cut++) {
            IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();
            String first = decoder.decode(Arrays.copyOfRange(BYTES, 0, cut));
            String second = decoder.decode(Arrays.copyOfRange(BYTES, cut, BYTES.length));
            String rest = decoder.finish();

            assertEquals(wholeCharactersIn(cut), first, "cut at byte " + cut + ": the first piece");
            assertWhole(first);
            assertWhole(second);
            assertEquals(TEXT, first + second + rest);
            assertEquals("", rest);
        }
    }

    @Test
    void splittingInThreeAnywhereNeverBreaksACharacter() {
        for (int a = 0; a <= BYTES.length; a++) {
            for (int b = a; b <= BYTES.length; b++) {
                IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();
                String pieces = "";
                for (byte[] part : new byte[][] {
                    Arrays.copyOfRange(BYTES, 0, a), Arrays.copyOfRange(BYTES, a, b), Arrays.copyOfRange(BYTES, b, BYTES.length)}) {
                    String piece = decoder.decode(part);
                    assertWhole(piece);
                    pieces += piece;
                }
                assertEquals(TEXT, pieces + decoder.finish(), "cuts at " + a + " and " + b);
            }
        }
    }

    @Test
    void byteByByteEachCharacterComesOutWithItsLastByte() {
        IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();
        StringBuilder text = new StringBuilder();
        int pieces = 0;
        for (byte b : BYTES) {
            String piece = decoder.decode(new byte[] {b});
            assertWhole(piece);
            if (!piece.isEmpty()) {
                pieces++;
                assertEquals(1, piece.codePointCount(0, piece.length()), "one character per completed character");
            }
            text.append(piece);
        }
        assertEquals(TEXT, text.toString());
        assertEquals(TEXT.codePointCount(0, TEXT.length()), pieces);
    }

    @Test
    void anyBytesDecodeAsJavaDecodesThemWhole() {
        Random random = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();
            StringBuilder text = new StringBuilder();
            int at = 0;
            while (at < bytes.length) {
                int next = at + 1 + random.nextInt(3);
                text.append(decoder.decode(Arrays.copyOfRange(bytes, at, Math.min(next, bytes.length))));
                at = next;
            }
            text.append(decoder.finish());
            assertEquals(new String(bytes, StandardCharsets.UTF_8), text.toString(), "bytes " + Arrays.toString(bytes));
        }
    }

    @Test
    void anIncompleteCharacterAtTheEndBecomesAReplacementCharacter() {
        IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();
        assertEquals("a", decoder.decode(new byte[] {'a', (byte) 0xE2, (byte) 0x82})); // "€" is E2 82 AC
        assertEquals("\uFFFD", decoder.finish());
        assertEquals("€", decoder.decode("€".getBytes(StandardCharsets.UTF_8)), "usable again after finish");
    }

    @Test
    void bytesThatCanNeverBeValidAreReplacedAtOnce() {
        IncrementalUtf8Decoder decoder = new IncrementalUtf8Decoder();
        assertEquals("\uFFFDA", decoder.decode(new byte[] {(byte) 0xFF, 'A'}));
        assertEquals("\uFFFDA", decoder.decode(new byte[] {(byte) 0xE2, 'A'}), "a lead byte cut short");
    }

    /** The decoded text of the whole characters among the first {@code cut} bytes. */
    private static String wholeCharactersIn(int cut) {
        int end = 0;
        for (int i = 0; i < TEXT.length(); i = TEXT.offsetByCodePoints(i, 1)) {
            int next = TEXT.offsetByCodePoints(i, 1);
            if (TEXT.substring(0, next).getBytes(StandardCharsets.UTF_8).length > cut) {
                break;
            }
            end = next;
        }
        return TEXT.substring(0, end);
    }

    /** No replacement character and no half of a surrogate pair (which would not survive a round trip). */
    static void assertWhole(String piece) {
        assertTrue(piece.indexOf('\uFFFD') < 0, "a replacement character in '" + piece + "'");
        assertEquals(piece, new String(piece.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                "a broken surrogate pair in '" + piece + "'");
    }
}
