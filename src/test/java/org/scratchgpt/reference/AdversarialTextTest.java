package org.scratchgpt.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.Character.UnicodeScript;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdversarialTextTest {

    @Test
    void sameSeedSameText() {
        assertEquals(AdversarialText.document(7, 5_000), AdversarialText.document(7, 5_000));
        assertNotEquals(AdversarialText.document(7, 5_000), AdversarialText.document(8, 5_000));
        assertEquals(AdversarialText.documents(7, 3, 1_000), AdversarialText.documents(7, 3, 1_000));
        assertArrayEquals(AdversarialText.randomBytes(7, 1_000), AdversarialText.randomBytes(7, 1_000));
    }

    @Test
    void documentsHaveAboutTheAskedLength() {
        for (String document : AdversarialText.documents(1, 10, 2_000)) {
            assertTrue(document.length() >= 2_000 && document.length() < 2_200, () -> "" + document.length());
        }
    }

    @Test
    void everyDocumentCoversEveryScript() {
        Set<UnicodeScript> wanted = EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA,
                UnicodeScript.KATAKANA, UnicodeScript.HANGUL, UnicodeScript.ARABIC, UnicodeScript.HEBREW,
                UnicodeScript.DEVANAGARI, UnicodeScript.THAI, UnicodeScript.CYRILLIC, UnicodeScript.GREEK);
        for (String document : AdversarialText.documents(2, 5, 5_000)) {
            Set<UnicodeScript> seen = EnumSet.noneOf(UnicodeScript.class);
            document.codePoints().forEach(codePoint -> seen.add(UnicodeScript.of(codePoint)));
            assertTrue(seen.containsAll(wanted), () -> "missing " + missing(wanted, seen));
        }
    }

    @Test
    void documentsHoldTheTrickyPieces() {
        String text = AdversarialText.document(3, 20_000);

        assertTrue(text.contains("<|endoftext|>"));
        assertTrue(text.contains("\r\n"));
        assertTrue(text.contains("\u200d"), "zero-width joiner");
        assertTrue(text.matches("(?s).*[0-9]{10,}.*"), "a long digit run");
        assertTrue(text.matches("(?s).*\\p{L}'(s|t|re|ve|m|ll|d|S|T|RE|VE|M|LL|D).*"), "a contraction");
        assertTrue(text.codePoints().anyMatch(c -> c >= 0x1F300 && c <= 0x1FAFF), "an emoji");
        assertTrue(text.codePoints().anyMatch(c -> c >= 0x1F1E6 && c <= 0x1F1FF), "a flag");
        assertTrue(text.codePoints().anyMatch(c -> Character.getType(c) == Character.NON_SPACING_MARK));
        assertTrue(text.codePoints().anyMatch(c -> Character.isLetter(c) && Character.isSupplementaryCodePoint(c)));
        assertTrue(text.codePoints().anyMatch(c -> Character.isSpaceChar(c) && c != ' '), "a Unicode space");
    }

    /** Java 17 knows Unicode 13.0: anything it calls undefined is newer, or not a character at all. */
    @Test
    void onlyUnicode13CharactersAndNoLoneSurrogates() {
        List<String> texts = new ArrayList<>(AdversarialText.edgeCases());
        texts.addAll(AdversarialText.documents(4, 20, 3_000));
        for (String text : texts) {
            text.codePoints().forEach(codePoint -> {
                assertTrue(Character.isDefined(codePoint), () -> "undefined U+" + Integer.toHexString(codePoint));
                assertFalse(Character.getType(codePoint) == Character.SURROGATE, "lone surrogate");
            });
        }
    }

    @Test
    void edgeCasesStartWithTheSmallestInputs() {
        List<String> cases = AdversarialText.edgeCases();
        assertEquals(List.of("", " ", "   ", "\n"), cases.subList(0, 4));
        assertTrue(cases.contains("a<|endoftext|>b"));
    }

    @Test
    void randomBytesHaveTheAskedLengthAndAreNotUtf8() {
        byte[] bytes = AdversarialText.randomBytes(5, 4_096);

        assertEquals(4_096, bytes.length);
        assertThrows(CharacterCodingException.class,
                () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)));
        assertEquals(0, AdversarialText.randomBytes(5, 0).length);
    }

    private static Set<UnicodeScript> missing(Set<UnicodeScript> wanted, Set<UnicodeScript> seen) {
        Set<UnicodeScript> missing = EnumSet.copyOf(wanted);
        missing.removeAll(seen);
        return missing;
    }
}
