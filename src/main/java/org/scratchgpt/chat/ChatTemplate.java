package org.scratchgpt.chat;

import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * How a conversation becomes token ids. Each message is its role's token, its content, then {@link #END}:
 * <pre>
 * &lt;|system|&gt;You are terse.&lt;|end|&gt;&lt;|user|&gt;2+3?&lt;|end|&gt;&lt;|assistant|&gt;5&lt;|end|&gt;
 * </pre>
 * with nothing in between (no newlines, no spaces). The four markers are special tokens of their own, added to
 * the tokenizer ({@link #withChatTokens}); a message's content is encoded as ordinary text, so a user who types
 * "&lt;|end|&gt;" cannot end a turn. To answer, the model is given the conversation so far followed by
 * {@code <|assistant|>} ({@link #prompt}), and writes until it produces {@code <|end|>}.
 *
 * <p>For training, {@link #render} also says which tokens the loss counts: the assistant's content and the
 * {@code <|end|>} that closes it (so the model learns to stop). Everything else, the system and user messages and
 * the markers that open turns, is context the model reads but is not asked to predict.
 */
public final class ChatTemplate {
    /** Closes every message; the token the model ends its answer with. */
    public static final String END = "<|end|>";
    /** The chat's special tokens, in the order they are added to a tokenizer that lacks them. */
    public static final List<String> TOKENS = List.of(Role.SYSTEM.token(), Role.USER.token(), Role.ASSISTANT.token(), END);

    private final Tokenizer tokenizer;
    private final int endId;

    /** A conversation's ids, and for each id whether the loss counts it (as a target). */
    public record Rendered(int[] ids, boolean[] counted) {}

    /** @throws UserError if the tokenizer lacks a chat token (the model was not instruction-tuned) */
    public ChatTemplate(Tokenizer tokenizer) {
        for (String token : TOKENS) {
            if (!tokenizer.specialTokens().containsKey(token)) {
                throw new UserError("this tokenizer has no chat token " + token + ": the model was not instruction-tuned;"
                        + " tune it first with `scratchgpt finetune --from CHECKPOINT --chat FILE.jsonl`");
            }
        }
        this.tokenizer = tokenizer;
        this.endId = idOf(END);
    }

    /** {@code tokenizer} with the chat's special tokens added where it lacks them (ids after its last one). */
    public static Tokenizer withChatTokens(Tokenizer tokenizer) {
        return tokenizer.withSpecialTokens(TOKENS);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The id of {@code <|end|>}: generation stops there. */
    public int endId() {
        return endId;
    }

    /** The whole conversation with the positions the loss counts. */
    public Rendered render(Conversation conversation) {
        Ids ids = new Ids();
        for (Message message : conversation.messages()) {
            boolean answer = message.role() == Role.ASSISTANT;
            ids.add(idOf(message.role().token()), false);
            ids.add(encode(message, conversation.source()), answer);
            ids.add(endId, answer);
        }
        return ids.rendered();
    }

    /** The ids that ask for the next answer: the messages so far, then {@code <|assistant|>}. */
    public int[] prompt(List<Message> history) {
        int[] rendered = render(new Conversation(history, "the conversation")).ids();
        int[] prompt = java.util.Arrays.copyOf(rendered, rendered.length + 1);
        prompt[rendered.length] = idOf(Role.ASSISTANT.token());
        return prompt;
    }

    /**
     * The text of a generated answer for the history: its ids decoded without the special tokens. A model may write
     * a marker such as {@code <|assistant|>} inside an answer; message contents are encoded as ordinary text, in
     * which a character-level vocabulary has no "&lt;" at all, so markers are left out rather than kept as text.
     */
    public String answerText(int[] answerIds) {
        java.util.Set<Integer> special = new java.util.HashSet<>(tokenizer.specialTokens().values());
        return tokenizer.decode(java.util.Arrays.stream(answerIds).filter(id -> !special.contains(id)).toArray());
    }

    /** The text a conversation renders to, markers written out: what {@link #render} encodes. */
    public static String text(Conversation conversation) {
        StringBuilder text = new StringBuilder();
        for (Message message : conversation.messages()) {
            text.append(message.role().token()).append(message.content()).append(END);
        }
        return text.toString();
    }

    private int[] encode(Message message, String source) {
        try {
            return tokenizer.encode(message.content());
        } catch (CharTokenizer.UnknownCharacter e) {
            throw new UserError(source + ": character " + e.position() + " of a " + message.role().jsonName()
                    + " message, " + e.character() + ", is not in the model's vocabulary of characters: remove it from"
                    + " the conversations, or use a model trained on text that has it", e);
        }
    }

    private int idOf(String token) {
        return tokenizer.specialTokens().get(token);
    }

    /** Ids with their counted flags, as they are appended. */
    private static final class Ids {
        private final List<Integer> ids = new ArrayList<>();
        private final List<Boolean> counted = new ArrayList<>();

        void add(int id, boolean count) {
            ids.add(id);
            counted.add(count);
        }

        void add(int[] more, boolean count) {
            for (int id : more) {
                add(id, count);
            }
        }

        Rendered rendered() {
            int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
            boolean[] countedArray = new boolean[idArray.length];
            for (int i = 0; i < countedArray.length; i++) {
                countedArray[i] = counted.get(i);
            }
            return new Rendered(idArray, countedArray);
        }
    }
}
