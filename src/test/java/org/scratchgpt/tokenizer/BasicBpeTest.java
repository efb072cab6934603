package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scratchgpt.SharedData;
import org.scratchgpt.reference.AdversarialText;

/**
 * The simplest BPE: merges worked out by hand, then merge for merge and id for id against the fast
 * {@link BpeTrainer} on the same text, and a lossless round trip.
 */
class BasicBpeTest {
    private static final PreTokenizer NO_SPLIT = new PreTokenizer(null, false);

    /** Words, numbers, punctuation, odd spaces, several scripts, combining marks and emoji, repeated a little. */
    static final String PARAGRAPH = """
            The quick brown fox can't jump over 1,234 lazy dogs -- or can it?  "Yes," said the fox; "it can't."
            Der Fuchs springt über den faulen Hund. Le renard brun saute par-dessus le chien paresseux, n'est-ce pas?
            Η γρήγορη καφέ αλεπού πηδάει. Быстрая бурая лиса прыгает через ленивую собаку, быстрая лиса!
            素早い茶色の狐が怠け者の犬を飛び越える。敏捷的棕色狐狸跳过了懒狗。빠른 갈색 여우가 게으른 개를 뛰어넘는다.
            e\u0301e\u0301 cafe\u0301 café 👩‍👩‍👧 👍🏽👍🏽 🇫🇷🇫🇷 𝐀𝐁𝐂\t\ttabs   and\u00a0spaces\u3000everywhere
            The fox, the fox, the quick brown fox! 12345 67890 1,234 1,234 🦊🦊🦊
            """;

    private static List<String> merges(BasicBpe bpe) {
        return bpe.merges().stream().map(p -> bpe.token(p.left()) + "+" + bpe.token(p.right())).toList();
    }

    private static List<String> merges(BpeTokenizer fast) {
        return fast.merges().stream().map(p -> p[0] + "+" + p[1]).toList();
    }

    private static List<String> tokens(BasicBpe bpe, int[] ids) {
        return Arrays.stream(ids).mapToObj(bpe::token).toList();
    }

    /**
     * Worked by hand (the lesson's example). Chunks: "the", " cat", " sat", " on", " the", ... Counts:
     * a+t 6, then t+h and h+e 4 each: a tie, won by h+e since 'h' (id 71) comes before 't' (83). Then
     * t+he 4, Ġ+the 3, and four pairs of 2 where the smaller left id wins: c+at (66), o+n (78), s+at (82).
     */
    @Test
    void learnsTheMergesWorkedOutByHand() {
        String text = "the cat sat on the mat; the hat sat on the cat";
        BasicBpe bpe = BasicBpe.train(text, 256 + 7, PreTokenizer.of(SplitPattern.GPT2));
        assertEquals(List.of("a+t", "h+e", "t+he", "Ġ+the", "c+at", "o+n", "s+at"), merges(bpe));
        int[] ids = bpe.encode("the cat sat on the mat");
        assertEquals(List.of("the", "Ġ", "cat", "Ġ", "sat", "Ġ", "on", "Ġthe", "Ġ", "m", "at"), tokens(bpe, ids));
        assertArrayEquals(new int[] {258, 220, 260, 220, 262, 220, 261, 259, 220, 76, 256}, ids);
    }

    /** Wikipedia's example, no split: after a+a, both aa+a and a+b occur twice; a+b has the smaller ids. */
    @Test
    void wikipediaExampleWithHuggingFacesTieRule() {
        BasicBpe bpe = BasicBpe.train("aaabdaaabac", 256 + 3, NO_SPLIT);
        assertEquals(List.of("a+a", "a+b", "aa+ab"), merges(bpe));
        assertEquals(List.of("aaab", "d", "aaab", "a", "c"), tokens(bpe, bpe.encode("aaabdaaabac")));
    }

    /**
     * Same merges in the same order, the same token behind every id, and the same ids for the text. (Were a
     * merge ever to spell a token that already exists, BpeTrainer would reuse its id as HuggingFace does and
     * BasicBpe would make a new one; the vocabulary sizes would then differ. It has not happened on any text tried.)
     */
    private static void assertSameAsFastTrainer(String text, int vocabSize, PreTokenizer split, String unseen) {
        BasicBpe basic = BasicBpe.train(text, vocabSize, split);
        BpeTokenizer fast = new BpeTrainer(vocabSize, 0, List.of(), split, false).train(List.of(text));
        String where = (split.regex() == null ? "no split" : SplitPattern.ofRegex(split.regex()) + " split")
                + ", vocabulary " + (vocabSize == BpeTrainer.FULL_VOCABULARY ? "full" : vocabSize);
        List<String> expected = merges(fast);
        List<String> actual = merges(basic);
        for (int k = 0; k < Math.min(expected.size(), actual.size()); k++) {
            assertEquals(expected.get(k), actual.get(k), where + ": merge #" + k); // the first difference only
        }
        assertEquals(expected.size(), actual.size(), where + ": number of merges");
        assertEquals(fast.vocabSize(), basic.vocabSize(), where);
        for (int id = 0; id < basic.vocabSize(); id++) {
            assertEquals(fast.token(id), basic.token(id), where + ": token " + id);
        }
        assertArrayEquals(fast.encode(text), basic.encode(text), where + ": ids of the training text");
        assertArrayEquals(fast.encode(unseen), basic.encode(unseen), where + ": ids of unseen text");
    }

    @ParameterizedTest
    @EnumSource(SplitPattern.class)
    void sameAsTheFastTrainerOnTinyShakespeare(SplitPattern pattern) throws Exception {
        String text = Files.readString(SharedData.tinyShakespeare()).substring(0, 50_000);
        for (int vocabSize : new int[] {256, 300, 600}) {
            assertSameAsFastTrainer(text, vocabSize, PreTokenizer.of(pattern), PARAGRAPH);
        }
    }

    @ParameterizedTest
    @EnumSource(SplitPattern.class)
    void sameAsTheFastTrainerOnAUnicodeParagraphUpToTheFullVocabulary(SplitPattern pattern) {
        for (int vocabSize : new int[] {300, 400, BpeTrainer.FULL_VOCABULARY}) {
            assertSameAsFastTrainer(PARAGRAPH, vocabSize, PreTokenizer.of(pattern), "To be, or not to be: 🦊!");
        }
        String adversarial = AdversarialText.document(17, 4000);
        assertSameAsFastTrainer(adversarial, BpeTrainer.FULL_VOCABULARY, PreTokenizer.of(pattern), PARAGRAPH);
    }

    @Test
    void sameAsTheFastTrainerWithoutASplit() {
        assertSameAsFastTrainer(PARAGRAPH, BpeTrainer.FULL_VOCABULARY, NO_SPLIT, "aaabdaaabac");
    }

    /** Any valid UTF-8 text comes back exactly, whatever characters the tokenizer saw in training. */
    @Test
    void decodeOfEncodeGivesBackAnyText() {
        List<BasicBpe> tokenizers = List.of(BasicBpe.train(PARAGRAPH, 400, PreTokenizer.of(SplitPattern.GPT2)),
                BasicBpe.train(PARAGRAPH, 400, PreTokenizer.of(SplitPattern.GPT4)), BasicBpe.train(PARAGRAPH, 400, NO_SPLIT));
        List<String> texts = new ArrayList<>(AdversarialText.edgeCases());
        texts.add(PARAGRAPH);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            texts.add(randomCodePoints(random, random.nextInt(0, 40)));
        }
        for (BasicBpe bpe : tokenizers) {
            for (String text : texts) {
                assertEquals(text, bpe.decode(bpe.encode(text)));
            }
        }
    }

    /** Any code point but a lone surrogate (which UTF-8 cannot encode): ASCII, other scripts, emoji, unassigned. */
    private static String randomCodePoints(SplittableRandom random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = random.nextBoolean() ? random.nextInt(0x20, 0x7F) : random.nextInt(0x110000 - 0x800);
            sb.appendCodePoint(cp >= 0xD800 ? cp + 0x800 : cp); // skip the 0x800 surrogates
        }
        return sb.toString();
    }
}
