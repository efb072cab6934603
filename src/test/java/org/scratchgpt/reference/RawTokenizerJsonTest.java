package org.scratchgpt.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.SharedData;

class TokenizerJsonTest {

    @TempDir Path dir;

    @Test
    void readsBothMergeFormats() throws Exception {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), """
                {"model": {"type": "BPE",
                           "vocab": {"a": 0, "b": 1, "Ġ": 2, "ab": 3, "Ġab": 4},
                           "merges": ["a b", ["Ġ", "ab"]]}}
                """);

        RawTokenizerJson json = RawTokenizerJson.read(file);

        assertEquals(5, json.vocab().size());
        assertEquals(4, json.vocab().get("Ġab"));
        assertArrayEquals(new String[] {"a", "b"}, json.merges().get(0));
        assertArrayEquals(new String[] {"Ġ", "ab"}, json.merges().get(1));
    }

    @Test
    void rejectsAMergeThatIsNotAPair() {
        assertThrows(IllegalArgumentException.class, () -> RawTokenizerJson.pairOf(JsonParser.parseString("\"a b c\"")));
        assertThrows(IllegalArgumentException.class, () -> RawTokenizerJson.pairOf(JsonParser.parseString("[\"a\"]")));
    }

    @Test
    void readsGpt2() throws Exception {
        RawTokenizerJson gpt2 = RawTokenizerJson.read(SharedData.gpt2Tokenizer());

        // The added token <|endoftext|> (50256) is in GPT-2's BPE vocabulary too.
        assertEquals(50257, gpt2.vocab().size());
        assertEquals(50000, gpt2.merges().size());
        assertArrayEquals(new String[] {"Ġ", "t"}, gpt2.merges().get(0));
        assertEquals(50256, gpt2.vocab().get("<|endoftext|>"));
    }
}
