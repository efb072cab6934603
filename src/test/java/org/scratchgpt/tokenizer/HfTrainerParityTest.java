package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scratchgpt.SharedData;
import org.scratchgpt.reference.AdversarialText;
import org.scratchgpt.reference.HfDjlTokenizer;
import org.scratchgpt.reference.HfNodeTrainer;
import org.scratchgpt.reference.HfTrainingResult;

/**
 * Merge for merge against HuggingFace's Rust BpeTrainer (through its Node binding) on the same text
 * and pre-tokenizer. HuggingFace stops at 30,000 tokens counting only the bytes it saw, while our
 * vocabulary always holds all 256 bytes; the merges are compared over HuggingFace's whole list.
 */
class HfTrainerParityTest {
    @TempDir Path dir;

    private static void assertSameMerges(HfTrainingResult hf, BpeTokenizer ours) {
        List<String[]> expected = hf.merges();
        assertTrue(ours.merges().size() >= expected.size(), "we learned fewer merges than HuggingFace");
        for (int rank = 0; rank < expected.size(); rank++) {
            String[] e = expected.get(rank);
            String[] a = ours.merges().get(rank);
            assertEquals(e[0] + " + " + e[1], a[0] + " + " + a[1], "merge #" + rank);
        }
    }

    @ParameterizedTest
    @EnumSource(SplitPattern.class)
    void tinyShakespeareFullMergeList(SplitPattern pattern) throws Exception {
        Path corpus = SharedData.tinyShakespeare();
        HfTrainingResult hf = HfNodeTrainer.locate().train(HfNodeTrainer.PreTokenizer.valueOf(pattern.name()),
                List.of(corpus), dir.resolve("hf.json"));
        BpeTokenizer ours = new BpeTrainer(BpeTrainer.FULL_VOCABULARY, 0, List.of(), PreTokenizer.of(pattern), false)
                .train(Files.readString(corpus));
        assertEquals(hf.merges().size(), ours.merges().size(), "HuggingFace's list is complete here, so must ours be");
        assertSameMerges(hf, ours);
    }

    /** The other direction: a tokenizer.json trained and saved by HuggingFace encodes here as it does there. */
    @ParameterizedTest
    @EnumSource(SplitPattern.class)
    void aTokenizerTrainedByHuggingFaceEncodesIdForId(SplitPattern pattern) throws Exception {
        Path corpus = SharedData.tinyShakespeare();
        HfTrainingResult hf = HfNodeTrainer.locate().train(HfNodeTrainer.PreTokenizer.valueOf(pattern.name()),
                List.of(corpus), dir.resolve("hf.json"));
        Tokenizer ours = TokenizerJson.load(hf.tokenizerJson());
        String text = Files.readString(corpus).substring(0, 200_000);
        try (HfDjlTokenizer reference = HfDjlTokenizer.load(hf.tokenizerJson())) {
            assertArrayEquals(reference.encode(text), Arrays.stream(ours.encode(text)).asLongStream().toArray());
        }
    }

    @ParameterizedTest
    @EnumSource(SplitPattern.class)
    void adversarialMultilingualText(SplitPattern pattern) throws Exception {
        String text = String.join("\n", AdversarialText.documents(99, 300, 600));
        HfTrainingResult hf = HfNodeTrainer.locate().trainOnText(HfNodeTrainer.PreTokenizer.valueOf(pattern.name()),
                text, dir);
        BpeTokenizer ours = new BpeTrainer(BpeTrainer.FULL_VOCABULARY, 0, List.of(), PreTokenizer.of(pattern), false)
                .train(text);
        assertSameMerges(hf, ours);
    }
}
