package org.scratchgpt.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatSessionTest {
    private static final ChatTemplate TEMPLATE = new ChatTemplate(ChatTemplateTest.CHARS);

    /** Context 20 with 5 tokens kept for the answer: prompts of at most 15 tokens. */
    @Test
    void theOldestExchangeGoesFirstAndTheSystemMessageStays() {
        ChatSession session = new ChatSession(TEMPLATE, "s", 20, 5);
        assertEquals(15, session.promptLimit());
        assertEquals(8, session.ask("ab").orElseThrow().length);  // <|system|>s<|end|> <|user|>ab<|end|> <|assistant|>
        session.answered("ba");
        assertEquals(15, session.ask("a").orElseThrow().length);  // + <|assistant|>ba<|end|> <|user|>a<|end|>: just fits
        session.answered("b");
        int[] prompt = session.ask("b").orElseThrow();            // 21 tokens with everything: the first exchange goes
        assertEquals(1, session.droppedExchanges());
        assertEquals(List.of(Message.system("s"), Message.user("a"), Message.assistant("b"), Message.user("b")),
                session.history());
        assertEquals(13, prompt.length);
        assertEquals("<|system|>s<|end|><|user|>a<|end|><|assistant|>b<|end|><|user|>b<|end|><|assistant|>",
                ChatTemplateTest.CHARS.decode(prompt));
    }

    @Test
    void aMessageTooLongEvenAloneIsNotKept() {
        ChatSession session = new ChatSession(TEMPLATE, "", 20, 5);
        assertTrue(session.ask("ab".repeat(10)).isEmpty());
        assertEquals(List.of(), session.history());
        assertEquals(5, session.ask("ab").orElseThrow().length, "the session goes on");
    }
}
