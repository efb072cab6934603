package org.scratchgpt.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

class ChatTemplateTest {
    // Characters a=0, b=1, s=2; the chat tokens follow: <|system|>=3, <|user|>=4, <|assistant|>=5, <|end|>=6.
    static final Tokenizer CHARS = ChatTemplate.withChatTokens(CharTokenizer.fromText("abs"));
    static final Conversation CONVERSATION = new Conversation(List.of(
            Message.system("s"), Message.user("ab"), Message.assistant("ba")));

    @Test
    void charTokenizerGetsTheChatTokensAfterItsCharacters() {
        assertEquals(7, CHARS.vocabSize());
        assertEquals(Map.of("<|system|>", 3, "<|user|>", 4, "<|assistant|>", 5, "<|end|>", 6), CHARS.specialTokens());
        assertEquals("<|user|>", CHARS.token(4));
        assertArrayEquals(new int[] {4, 0, 6}, CHARS.encodeWithSpecialTokens("<|user|>a<|end|>"));
        assertEquals("<|user|>a<|end|>", CHARS.decode(new int[] {4, 0, 6}));
        assertThrows(CharTokenizer.UnknownCharacter.class, () -> CHARS.encode("<|user|>"), "ordinary text stays text");
        assertEquals(CHARS.specialTokens(), ChatTemplate.withChatTokens(CHARS).specialTokens(), "added once only");
    }

    @Test
    void renderingAndCountedPositionsAreExact() {
        ChatTemplate.Rendered rendered = new ChatTemplate(CHARS).render(CONVERSATION);
        //                        <|system|> s <|end|> <|user|> a  b <|end|> <|assistant|> b  a <|end|>
        assertArrayEquals(new int[] {3, 2, 6, 4, 0, 1, 6, 5, 1, 0, 6}, rendered.ids());
        assertArrayEquals(new boolean[] {false, false, false, false, false, false, false, false, true, true, true},
                rendered.counted(), "only the answer and its <|end|> count");
        assertEquals("<|system|>s<|end|><|user|>ab<|end|><|assistant|>ba<|end|>", ChatTemplate.text(CONVERSATION));
        assertEquals(ChatTemplate.text(CONVERSATION), CHARS.decode(rendered.ids()));
    }

    @Test
    void aPromptEndsWithTheAssistantToken() {
        int[] prompt = new ChatTemplate(CHARS).prompt(List.of(Message.user("ab")));
        assertArrayEquals(new int[] {4, 0, 1, 6, 5}, prompt);
    }

    @Test
    void anAnswersMarkersAreLeftOutOfItsHistoryText() {
        assertEquals("ba", new ChatTemplate(CHARS).answerText(new int[] {1, 5, 0, 3}));
    }

    @Test
    void aTokenizerWithoutChatTokensIsRefusedWithTheFix() {
        UserError e = assertThrows(UserError.class, () -> new ChatTemplate(CharTokenizer.fromText("abs")));
        assertTrue(e.getMessage().contains("finetune --from CHECKPOINT --chat"), e.getMessage());
    }

    @Test
    void aCharacterTheVocabularyLacksNamesTheLine() {
        Conversation bad = new Conversation(List.of(Message.user("a"), Message.assistant("az")), "chat.jsonl line 3");
        UserError e = assertThrows(UserError.class, () -> new ChatTemplate(CHARS).render(bad));
        assertTrue(e.getMessage().startsWith("chat.jsonl line 3: character 2 of a assistant message, 'z'"), e.getMessage());
    }

    @Test
    void chatTokensSurviveSavingAndLoading(@TempDir Path dir) throws IOException {
        TokenizerJson.save(CHARS, dir.resolve("char.json"));
        Tokenizer chars = TokenizerJson.load(dir.resolve("char.json"));
        assertEquals(CHARS.specialTokens(), chars.specialTokens());
        assertArrayEquals(new ChatTemplate(CHARS).render(CONVERSATION).ids(), new ChatTemplate(chars).render(CONVERSATION).ids());

        BpeTokenizer bpe = new BpeTrainer(260, 0, List.of("<|endoftext|>"), PreTokenizer.of(SplitPattern.GPT2), false)
                .train("ab ab ba sab");
        Tokenizer chat = ChatTemplate.withChatTokens(bpe);
        assertEquals(bpe.vocabSize() + 4, chat.vocabSize());
        assertEquals(bpe.vocabSize() + 3, chat.specialTokens().get(ChatTemplate.END));
        TokenizerJson.save(chat, dir.resolve("bpe.json"));
        Tokenizer loaded = TokenizerJson.load(dir.resolve("bpe.json"));
        assertEquals(chat.specialTokens(), loaded.specialTokens());
        assertArrayEquals(new ChatTemplate(chat).render(CONVERSATION).ids(), new ChatTemplate(loaded).render(CONVERSATION).ids());
        assertArrayEquals(bpe.encode("ab ba"), loaded.encode("ab ba"), "ordinary text encodes as before");
    }
}
