package org.scratchgpt.chat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.scratchgpt.UserError;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.tokens.TrainingBatches;

/**
 * Training batches of conversations for instruction tuning. Every row of a batch starts at the start of a
 * conversation and holds as many whole conversations as fit in T + 1 tokens, one after another; the rest of the
 * row is padding. As in {@code TokenWindows}, the inputs x are the row's first T ids and the targets y the row moved
 * one token on, except that a target the loss must not count (a user's or system's token, a marker that opens a
 * turn, padding) is {@link LanguageModelLoss#IGNORED}. A conversation longer than T + 1 tokens is cut to its first
 * T + 1 (the loss then misses the end of it; the constructor logs how many were cut), and left out if that leaves
 * none of its answer ({@link FittedConversations}).
 *
 * <p>The conversations are taken in a shuffled order, a new one each pass (epoch), fixed by the seed: the state
 * is just how many conversations were taken, so a resumed run continues with the very batches it would have seen.
 * Padding comes after the conversations and attention is causal, so it changes no counted position's logits.
 */
public final class ConversationBatches implements TrainingBatches {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConversationBatches.class);

    private final List<ChatTemplate.Rendered> examples;
    private final int batchSize;
    private final int contextLength;
    private final int padId;
    private final Cursor training;

    /**
     * @param conversations the conversations to learn from
     * @param template      renders them (its tokenizer must know the chat tokens)
     * @param batchSize     rows per batch (B)
     * @param contextLength tokens per row (T)
     * @param seed          fixes the order the conversations are taken in
     */
    public ConversationBatches(List<Conversation> conversations, ChatTemplate template, int batchSize, int contextLength,
            long seed) {
        if (batchSize <= 0 || contextLength <= 0) {
            throw new UserError("batch size and context length must be positive, got " + batchSize + " and " + contextLength);
        }
        if (conversations.isEmpty()) {
            throw new UserError("no conversations to learn from: give a file with at least one");
        }
        this.batchSize = batchSize;
        this.contextLength = contextLength;
        this.padId = template.endId(); // any id would do: its target is never counted
        FittedConversations fitted = new FittedConversations(conversations, template, contextLength);
        fitted.requireSomethingToLearn("conversations");
        this.examples = fitted.learnable();
        if (fitted.cut() > 0) {
            LOG.warn("{} of {} conversations are longer than context_length + 1 = {} tokens and were cut to that length;"
                    + " {} of them end before their first answer and are left out", fitted.cut(), conversations.size(),
                    fitted.rowLength(), fitted.leftOut());
        }
        this.training = new Cursor(seed);
    }

    @Override
    public Batch nextBatch(NDManager manager) {
        return makeBatch(manager, training, 0, 1);
    }

    @Override
    public Iterable<Batch> evaluationBatches(NDManager manager, int count, long seed) {
        return () -> {
            Cursor cursor = new Cursor(seed);
            return TrainingBatches.lazily(count, index -> makeBatch(manager, cursor, index, count));
        };
    }

    @Override
    public long samplerState() {
        return training.taken;
    }

    @Override
    public void restoreSampler(long state) {
        training.taken = state;
    }

    /** How many conversations there are. */
    public int size() {
        return examples.size();
    }

    private Batch makeBatch(NDManager manager, Cursor cursor, long index, long total) {
        int[] inputs = new int[batchSize * contextLength];
        int[] targets = new int[batchSize * contextLength];
        int[] row = new int[contextLength + 1];
        boolean[] counted = new boolean[contextLength + 1];
        for (int b = 0; b < batchSize; b++) {
            fillRow(cursor, row, counted);
            for (int t = 0; t < contextLength; t++) {
                inputs[b * contextLength + t] = row[t];                                            // x = row[0 .. T-1]
                targets[b * contextLength + t] = counted[t + 1] ? row[t + 1] : LanguageModelLoss.IGNORED; // y = row[1 .. T]
            }
        }
        NDManager batchManager = manager.newSubManager();
        Shape shape = new Shape(batchSize, contextLength);
        NDArray x = batchManager.create(inputs, shape);  // (B, T) int32
        NDArray y = batchManager.create(targets, shape); // (B, T) int32, -1 where not counted
        return new Batch(batchManager, new NDList(x), new NDList(y), batchSize,
                Batchifier.STACK, Batchifier.STACK, index, total);
    }

    /** Whole conversations from the cursor while they fit in the row (always at least one), then padding. */
    private void fillRow(Cursor cursor, int[] row, boolean[] counted) {
        Arrays.fill(row, padId);
        Arrays.fill(counted, false);
        int filled = 0;
        while (filled == 0 || filled + cursor.peek().ids().length <= row.length) {
            ChatTemplate.Rendered example = cursor.take();
            System.arraycopy(example.ids(), 0, row, filled, example.ids().length);
            System.arraycopy(example.counted(), 0, counted, filled, example.counted().length);
            filled += example.ids().length;
        }
    }

    /** A position in the endless sequence of shuffled passes over the conversations. */
    private final class Cursor {
        private final long seed;
        private long taken;
        private long orderEpoch = -1;
        private int[] order;

        Cursor(long seed) {
            this.seed = seed;
        }

        ChatTemplate.Rendered peek() {
            long epoch = taken / examples.size();
            if (epoch != orderEpoch) {
                order = shuffled(examples.size(), new Random(seed * 31 + epoch));
                orderEpoch = epoch;
            }
            return examples.get(order[(int) (taken % examples.size())]);
        }

        ChatTemplate.Rendered take() {
            ChatTemplate.Rendered next = peek();
            taken++;
            return next;
        }
    }

    /** 0..n-1 in a random order (Fisher-Yates). */
    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
