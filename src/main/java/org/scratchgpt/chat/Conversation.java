package org.scratchgpt.chat;

import java.util.List;

/**
 * The messages of one conversation, in order, and where it came from ({@code source}, e.g. "chat.jsonl line 7"),
 * so that a problem found later (a character the tokenizer lacks) can name the line to fix.
 */
public record Conversation(List<Message> messages, String source) {
    public Conversation {
        messages = List.copyOf(messages);
    }

    public Conversation(List<Message> messages) {
        this(messages, "a conversation");
    }
}
