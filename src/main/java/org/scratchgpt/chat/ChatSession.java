package org.scratchgpt.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.tokenizer.CharTokenizer;

/**
 * The history of a conversation with a model, kept within its context. Each question becomes a prompt: the
 * system message (if any), the turns so far, the new user message and {@code <|assistant|>}. A model sees at most
 * context_length tokens and the answer needs room too, so when the prompt would leave fewer than
 * {@code answerRoom} tokens free, the oldest exchanges (a user message and its answer) are dropped first; the
 * system message always stays, since it says how the assistant should behave throughout. The conversation needs
 * room as much as the answer, so an answer gets at most half the context ({@link #longestAnswer}).
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
     * @throws UserError if the model cannot read the system message, or if it leaves no room for a message
     */
    public ChatSession(ChatTemplate template, String systemMessage, int contextLength, int answerRoom) {
        this.template = template;
        this.system = systemMessage.isEmpty() ? null : Message.system(systemMessage);
        this.promptLimit = contextLength - Math.max(1, Math.min(answerRoom, contextLength - 1));
        requireRoomForAMessage(contextLength);
    }

    /** The longest answer worth keeping room for: half the context, the other half is the conversation so far. */
    public static int longestAnswer(int contextLength) {
        return Math.max(1, contextLength / 2);
    }

    /**
     * Why the model cannot read {@code text}, or nothing when it can: a character-level vocabulary knows only the
     * characters of the text it was built on. Such a message is refused, and the conversation goes on.
     */
    public Optional<String> unreadable(String text) {
        return unknownCharacter(text, "that message").map(problem -> problem + "; write the message without it");
    }

    private Optional<String> unknownCharacter(String text, String what) {
        try {
            template.tokenizer().encode(text);
            return Optional.empty();
        } catch (CharTokenizer.UnknownCharacter e) {
            return Optional.of("character " + e.position() + " of " + what + ", " + e.character() + ", is not in the"
                    + " model's vocabulary of characters");
        }
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

    /** The system message and a one-token message must fit in the prompt, or no message ever will. */
    private void requireRoomForAMessage(int contextLength) {
        int answerRoom = contextLength - promptLimit;
        if (system != null) {
            unknownCharacter(system.content(), "the system message").ifPresent(problem -> {
                throw new UserError(problem + "; give --system without it");
            });
        }
        List<Message> shortest = new ArrayList<>(history());
        shortest.add(Message.user(""));
        int length = template.prompt(shortest).length + 1; // + a one-token message
        if (length <= promptLimit) {
            return;
        }
        String room = "the model's context of " + contextLength + " tokens keeps " + answerRoom + " for the answer and"
                + " leaves " + promptLimit + " for the conversation";
        String fewerAnswerTokens = "--max-tokens " + (contextLength - length) + " or less";
        if (system == null) {
            throw new UserError(room + ", too few for a message; " + (length < contextLength
                    ? "give " + fewerAnswerTokens : "use a model with a longer context"));
        }
        throw new UserError("the system message is too long: with a short message it takes " + length + " tokens, and "
                + room + "; give a shorter --system" + (length < contextLength ? ", or " + fewerAnswerTokens : ""));
    }

    private void dropOldestExchange() {
        turns.remove(0);                                     // the user's message
        if (turns.size() > 1 && turns.get(0).role() == Role.ASSISTANT) {
            turns.remove(0);                                 // and its answer
        }
        droppedExchanges++;
    }
}
