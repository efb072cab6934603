package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scratchgpt.SharedData;

/** GPT-2's own tokenizer.json, loaded by our code, gives GPT-2's well-known ids. */
class Gpt2TokenizerTest {
    static BpeTokenizer gpt2;

    @BeforeAll
    static void load() throws Exception {
        gpt2 = (BpeTokenizer) TokenizerJson.load(SharedData.gpt2Tokenizer());
    }

    @Test
    void knownIds() {
        assertEquals(50257, gpt2.vocabSize());
        assertArrayEquals(new int[] {15496, 995}, gpt2.encode("Hello world"));
        assertArrayEquals(new int[] {50256}, gpt2.encodeWithSpecialTokens("<|endoftext|>"));
        assertEquals("Hello world", gpt2.decode(new int[] {15496, 995}));
    }
}
