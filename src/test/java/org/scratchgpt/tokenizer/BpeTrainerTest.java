package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class BpeTrainerTest {
    private static final PreTokenizer NO_SPLIT = new PreTokenizer(null, false);

    private static List<String> merges(BpeTokenizer t) {
        return t.merges().stream().map(p -> p[0] + "+" + p[1]).toList();
    }

    private static List<String> tokens(BpeTokenizer t, int[] ids) {
        return Arrays.stream(ids).mapToObj(t::token).toList();
    }

    /** Wikipedia's (and minbpe's) example: aaabdaaabac, 3 merges, gives XdXac with Z=aa, Y=ab, X=ZY. */
    @Test
    void wikipediaExample() {
        BpeTokenizer t = new BpeTrainer(256 + 3, 0, List.of(), NO_SPLIT, false).train(List.of("aaabdaaabac"));
        assertEquals(List.of("a+a", "a+b", "aa+ab"), merges(t));
        int[] ids = t.encode("aaabdaaabac");
        assertEquals(List.of("aaab", "d", "aaab", "a", "c"), tokens(t, ids));
        assertEquals("aaabdaaabac", t.decode(ids));
    }

    /** HuggingFace's own trainer unit test (test_train in trainer.rs): min frequency 2 gives re, are, is. */
    @Test
    void reproducesHuggingFacesTrainerUnitTest() {
        List<String> words = new ArrayList<>();
        String[][] counts = {{"roses", "1"}, {"are", "2"}, {"red", "1"}, {"voilets", "1"}, {"blue", "1"},
                {"BERT", "1"}, {"is", "2"}, {"big", "1"}, {"and", "1"}, {"so", "1"}, {"GPT-2", "1"}};
        for (String[] wc : counts) {
            words.addAll(Collections.nCopies(Integer.parseInt(wc[1]), wc[0]));
        }
        BpeTokenizer t = new BpeTrainer(30000, 2, List.of(), NO_SPLIT, false).train(words);
        assertEquals(List.of("r+e", "a+re", "i+s"), merges(t));
    }

    @Test
    void specialTokensTakeTheFirstIdsAndAreMatchedOnlyWhenAllowed() {
        BpeTokenizer t = new BpeTrainer(300, 0, List.of("<|endoftext|>"), PreTokenizer.of(SplitPattern.GPT2), false)
                .train(List.of("hello world, hello there"));
        assertEquals(0, t.specialTokens().get("<|endoftext|>"));
        assertArrayEquals(new int[] {0}, t.encodeWithSpecialTokens("<|endoftext|>"));
        assertTrue(t.encode("<|endoftext|>").length > 1, "not allowed: encoded as plain text");
        assertEquals("hi<|endoftext|>", t.decode(t.encodeWithSpecialTokens("hi<|endoftext|>")));
    }

    @Test
    void stopsAtTheRequestedVocabularySize() {
        String text = "the quick brown fox jumps over the lazy dog ".repeat(20);
        BpeTokenizer t = new BpeTrainer(256 + 10, 0, List.of(), PreTokenizer.of(SplitPattern.GPT2), false)
                .train(List.of(text));
        assertEquals(266, t.vocabSize());
        assertEquals(10, t.merges().size());
    }

    @Test
    void fullVocabularyMergesUntilEveryWordIsOneToken() {
        BpeTokenizer t = new BpeTrainer(BpeTrainer.FULL_VOCABULARY, 0, List.of(), PreTokenizer.of(SplitPattern.GPT2),
                false).train(List.of("to be or not to be"));
        for (String word : List.of("to", " be", " or", " not", " to")) {
            assertEquals(1, t.encode(word).length, word);
        }
    }

    @Test
    void badInputsAreClearErrors() {
        UserError small = assertThrows(UserError.class,
                () -> new BpeTrainer(100, 0, List.of(), NO_SPLIT, false));
        assertTrue(small.getMessage().contains("256"), small.getMessage());
        UserError empty = assertThrows(UserError.class,
                () -> new BpeTrainer(300, 0, List.of(), NO_SPLIT, false).train(List.of("")));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        UserError collision = assertThrows(UserError.class,
                () -> new BpeTrainer(400, 0, List.of("the"), NO_SPLIT, false).train(List.of("the the the the")));
        assertTrue(collision.getMessage().contains("collides"), collision.getMessage());
    }
}
