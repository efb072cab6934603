package org.scratchgpt.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The history of a conversation with a model, kept within its context. Each question becomes a prompt: the
 * system message (if any), the turns so far, the new user message and {@code <|assistant|>}. A model sees at most
 * context_length tokens and the answer needs room too, so when the prompt would leave fewer than
 * {@code answerRoom} tokens free, the oldest exchanges (a user message and its answer) are dropped first; the
 * system message always stays, since it says how the assistant should behave throughout.
 */
public final class ChatSession {
    private final ChatTemplate template;
    private final Message system; // null when there is none
    private final List<Message> turns = new ArrayList<>();
    private final int promptLimit;
    private int droppedExchanges;

    /**
     * @param systemMessage empty for none
     * @param contextLength the model's context_length
     * @param answerRoom    tokens kept free for the answer (at most context_length - 1 are useful)
     */
    public ChatSession(ChatTemplate template, String systemMessage, int contextLength, int answerRoom) {
        this.template = template;
        this.system = systemMessage.isEmpty() ? null : Message.system(systemMessage);
        this.promptLimit = contextLength - Math.max(1, Math.min(answerRoom, contextLength - 1));
    }

    /**
     * Adds the user's message and gives the prompt that asks for the answer, or nothing when even the system
     * message and this message alone are too long; then the message is not kept.
     */
    public Optional<int[]> ask(String userMessage) {
        turns.add(Message.user(userMessage));
        int[] prompt = template.prompt(history());
        while (prompt.length > promptLimit && turns.size() > 1) {
            dropOldestExchange();
            prompt = template.prompt(history());
        }
        if (prompt.length > promptLimit) {
            turns.remove(turns.size() - 1);
            return Optional.empty();
        }
        return Optional.of(prompt);
    }

    /** Records the model's answer to the last question. */
    public void answered(String answer) {
        turns.add(Message.assistant(answer));
    }

    /** The messages a prompt is made of now: the system message, then the turns. */
    public List<Message> history() {
        List<Message> all = new ArrayList<>();
        if (system != null) {
            all.add(system);
        }
        all.addAll(turns);
        return all;
    }

    /** How many exchanges were dropped to stay within the context so far. */
    public int droppedExchanges() {
        return droppedExchanges;
    }

    /** The longest prompt allowed: context_length less the room kept for the answer. */
    public int promptLimit() {
        return promptLimit;
    }

    private void dropOldestExchange() {
        turns.remove(0);                                     // the user's message
        if (turns.size() > 1 && turns.get(0).role() == Role.ASSISTANT) {
            turns.remove(0);                                 // and its answer
        }
        droppedExchanges++;
    }
}
