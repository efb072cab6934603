package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchgpt.SharedData;
import org.scratchgpt.reference.AdversarialText;
import org.scratchgpt.reference.HfDjlTokenizer;

/**
 * Id for id against HuggingFace tokenizers (the Rust library, through DJL's binding), with
 * truncation, padding and added special tokens off: tokenizers trained here at several vocabulary
 * sizes with both split patterns, and GPT-2's own tokenizer, on a seeded multilingual and adversarial
 * corpus plus hand-written edge cases. HuggingFace always matches special tokens, so the ids compared
 * are those of {@link Tokenizer#encodeWithSpecialTokens}.
 */
class HfParityTest {
    @TempDir static Path dir;
    static List<String> texts;

    @BeforeAll
    static void corpus() {
        texts = new ArrayList<>(AdversarialText.edgeCases());
        texts.addAll(AdversarialText.documents(2024, 300, 400));
    }

    static Stream<Arguments> tokenizers() {
        String trainingText = String.join("\n", AdversarialText.documents(7, 400, 500));
        List<Arguments> cases = new ArrayList<>();
        for (SplitPattern pattern : SplitPattern.values()) {
            for (int vocabSize : new int[] {300, 1000, 4000}) {
                cases.add(Arguments.of(pattern + " trained here, " + vocabSize, (Supplier) () -> {
                    BpeTokenizer t = new BpeTrainer(vocabSize, 0, List.of("<|endoftext|>"), PreTokenizer.of(pattern),
                            false).train(trainingText);
                    Path file = dir.resolve(pattern + "-" + vocabSize + ".json");
                    TokenizerJson.save(t, file);
                    return file;
                }));
            }
        }
        cases.add(Arguments.of("GPT-2", (Supplier) SharedData::gpt2Tokenizer));
        return cases.stream();
    }

    /** Gives the tokenizer.json to test; lazily, so a missing shared file skips only its own case. */
    interface Supplier {
        Path get() throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void sameIdsAsHuggingFace(String name, Supplier file) throws Exception {
        Path json = file.get();
        Tokenizer ours = TokenizerJson.load(json);
        try (HfDjlTokenizer hf = HfDjlTokenizer.load(json)) {
            List<long[]> expected = hf.encodeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                int[] ids = ours.encodeWithSpecialTokens(text);
                assertArrayEquals(expected.get(i), Arrays.stream(ids).asLongStream().toArray(),
                        () -> name + ": text differs: " + escape(text));
                assertEquals(hf.decode(expected.get(i)), ours.decode(ids));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void characterLevelTokenizerGivesTheSameIdsAsHuggingFace() throws Exception {
        CharTokenizer ours = CharTokenizer.fromText(String.join("", texts));
        Path json = dir.resolve("char.json");
        TokenizerJson.save(ours, json);
        try (HfDjlTokenizer hf = HfDjlTokenizer.load(json)) {
            for (String text : texts) {
                long[] expected = hf.encode(text);
                assertArrayEquals(expected, Arrays.stream(ours.encode(text)).asLongStream().toArray(), escape(text));
                assertEquals(text, hf.decode(expected));
            }
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp > 0x7e ? String.format("\\u{%x}", cp) : Character.toString(cp)));
        return sb.toString();
    }
}
