package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.tokenizer.BpeTokenizer;

class TokenTextStreamTest {

    @Test
    void byteLevelTokensThatSplitCharactersStreamAsWholeCharacters() {
        BpeTokenizer tokenizer = GenerationTesting.smallBpe();
        String text = "Ça va? 日本語 🎉 naïve";
        int[] ids = tokenizer.encode(text);
        assertTrue(someTokenIsPartOfACharacter(tokenizer, ids), "the test needs a token that splits a character");

        List<String> pieces = new ArrayList<>();
        TokenTextStream stream = new TokenTextStream(tokenizer, pieces::add);
        for (int id : ids) {
            stream.accept(id);
        }
        stream.finish();

        pieces.forEach(IncrementalUtf8DecoderTest::assertWhole);
        assertEquals(text, String.join("", pieces));
        assertEquals(tokenizer.decode(ids), String.join("", pieces));
        assertTrue(pieces.stream().noneMatch(String::isEmpty), "no empty pieces");
    }

    private static boolean someTokenIsPartOfACharacter(BpeTokenizer tokenizer, int[] ids) {
        for (int id : ids) {
            byte[] bytes = tokenizer.decodeBytes(new int[] {id});
            if (new String(bytes, StandardCharsets.UTF_8).indexOf('\uFFFD') >= 0) {
                return true;
            }
        }
        return false;
    }
}
