package org.scratchgpt.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scratchgpt.UserError;

/**
 * Conversations rendered and cut to the T + 1 tokens of a training row, keeping those that still teach something.
 * A conversation longer than a row is cut to its first T + 1 tokens. If the cut comes before its first answer token
 * (a long system or user message), every target in it is ignored: it teaches nothing, and a batch made only of such
 * rows has loss 0 and no gradient at all (DJL then stops the first step with "Gradient values are all zeros"). So
 * those are left out, and when every conversation is, there is nothing to learn: {@link #requireSomethingToLearn}
 * says so in one line, which {@code finetune --chat} checks before any work.
 */
final class FittedConversations {
    private final List<ChatTemplate.Rendered> learnable = new ArrayList<>();
    private final int total;
    private final int contextLength;
    private int cut;

    /** Renders {@code conversations} with {@code template} and cuts each to contextLength + 1 tokens. */
    FittedConversations(List<Conversation> conversations, ChatTemplate template, int contextLength) {
        this.total = conversations.size();
        this.contextLength = contextLength;
        for (Conversation conversation : conversations) {
            ChatTemplate.Rendered rendered = template.render(conversation);
            if (rendered.ids().length > rowLength()) {
                rendered = new ChatTemplate.Rendered(Arrays.copyOf(rendered.ids(), rowLength()),
                        Arrays.copyOf(rendered.counted(), rowLength()));
                cut++;
            }
            if (countsAnything(rendered)) {
                learnable.add(rendered);
            }
        }
    }

    /** The conversations that keep at least one counted token, cut where they are longer than a row. */
    List<ChatTemplate.Rendered> learnable() {
        return learnable;
    }

    /** How many conversations were longer than a row and cut. */
    int cut() {
        return cut;
    }

    /** How many were cut before their first answer token and are left out. */
    int leftOut() {
        return total - learnable.size();
    }

    /** T + 1: a row holds the T inputs and, one further on, the T targets. */
    int rowLength() {
        return contextLength + 1;
    }

    /**
     * @param which the conversations, for the message: "training conversations", "validation conversations"
     * @throws UserError if no conversation keeps an answer token within the context
     */
    void requireSomethingToLearn(String which) {
        if (learnable.isEmpty()) {
            throw new UserError("nothing to learn: all " + total + " " + which + " are longer than the"
                    + " model's context and, cut to its " + rowLength() + " tokens (context_length " + contextLength
                    + " + 1), end before their first answer; shorten their system and user messages, or tune a model"
                    + " with a longer context");
        }
    }

    private static boolean countsAnything(ChatTemplate.Rendered rendered) {
        for (boolean counted : rendered.counted()) {
            if (counted) {
                return true;
            }
        }
        return false;
    }
}
