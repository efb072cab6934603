package org.scratchgpt.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchgpt.optim.LanguageModelLoss;

/** Batches of conversations and the loss that counts the assistant's tokens only. */
class AssistantOnlyLossTest {
    private static final ChatTemplate TEMPLATE = new ChatTemplate(ChatTemplateTest.CHARS);
    private static final int V = ChatTemplateTest.CHARS.vocabSize();
    private static final Conversation SHORT = new Conversation(List.of(Message.user("a"), Message.assistant("b")));

    /** One conversation of 11 tokens in a row of T + 1 = 15: the rest is padding, every target but the answer's is -1. */
    @Test
    void targetsAreTheAnswerAndItsEndOnly() {
        try (NDManager manager = NDManager.newBaseManager();
                Batch batch = new ConversationBatches(List.of(ChatTemplateTest.CONVERSATION), TEMPLATE, 1, 14, 1)
                        .nextBatch(manager)) {
            // row: <|system|> s <|end|> <|user|> a b <|end|> <|assistant|> b a <|end|> + 4 x padding (<|end|>)
            assertArrayEquals(new int[] {3, 2, 6, 4, 0, 1, 6, 5, 1, 0, 6, 6, 6, 6},
                    batch.getData().singletonOrThrow().toIntArray());
            assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1, -1, 1, 0, 6, -1, -1, -1, -1},
                    batch.getLabels().singletonOrThrow().toIntArray());
        }
    }

    /** Whole conversations are packed while they fit (11 + 7 = 18 = T + 1); the next row starts with the next one. */
    @Test
    void wholeConversationsArePackedIntoARow() {
        try (NDManager manager = NDManager.newBaseManager();
                Batch batch = new ConversationBatches(List.of(ChatTemplateTest.CONVERSATION, SHORT), TEMPLATE, 2, 17, 1)
                        .nextBatch(manager)) {
            int[] x = batch.getData().singletonOrThrow().toIntArray();
            int[] y = batch.getLabels().singletonOrThrow().toIntArray();
            int[] conversationStarts = {x[0], x[17]};
            assertTrue(conversationStarts[0] == 3 || conversationStarts[0] == 4, "a row starts with a conversation");
            long counted = java.util.Arrays.stream(y).filter(id -> id >= 0).count();
            assertEquals(2 * (3 + 2), counted, "each row holds both conversations' answers (3 + 2 counted tokens)");
        }
    }

    /**
     * The masked loss of a real batch against the mean, in float64 by hand from the same logits, of -log softmax over
     * the assistant's tokens only. Bound: 1e-6 relative. Its gradient is zero at every position that is not counted.
     */
    @Test
    void maskedLossEqualsTheHandComputedLossOverTheAnswer() {
        int t = 14;
        ChatTemplate.Rendered rendered = TEMPLATE.render(ChatTemplateTest.CONVERSATION);
        float[] logits = new float[t * V];
        Random random = new Random(42);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        double sum = 0;
        int count = 0;
        for (int position = 0; position + 1 < rendered.ids().length; position++) {
            if (rendered.counted()[position + 1]) {
                sum += -logSoftmax(logits, position, rendered.ids()[position + 1]);
                count++;
            }
        }
        double expected = sum / count;
        assertEquals(3, count, "'b', 'a' and <|end|>");

        try (NDManager manager = NDManager.newBaseManager();
                Batch batch = new ConversationBatches(List.of(ChatTemplateTest.CONVERSATION), TEMPLATE, 1, t, 1)
                        .nextBatch(manager)) {
            NDArray z = manager.create(logits, new Shape(1, t, V));
            z.setRequiresGradient(true);
            double masked;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray loss = LanguageModelLoss.masked().evaluate(batch.getLabels(), new NDList(z));
                masked = loss.getFloat();
                collector.backward(loss);
            }
            double error = Math.abs(masked - expected) / expected;
            System.out.printf("masked loss %.6f, by hand over the answer %.6f: relative error %.3g%n", masked, expected, error);
            assertTrue(error < 1e-6, "relative error " + error);
            float[] gradient = z.getGradient().toFloatArray();
            for (int position = 0; position < t; position++) {
                boolean answer = position >= 7 && position <= 9;
                double norm = 0;
                for (int v = 0; v < V; v++) {
                    norm += Math.abs(gradient[position * V + v]);
                }
                assertEquals(answer, norm > 0, "gradient at position " + position);
            }
        }
    }

    /** With every target counted it is the plain loss; with none, 0 (not 0/0). */
    @Test
    void withEveryOrNoTargetCounted() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.randomNormal(new Shape(2, 3, V));
            NDArray targets = manager.create(new int[][] {{0, 4, 2}, {3, 3, 1}});
            float plain = new LanguageModelLoss().crossEntropy(z, targets).getFloat();
            assertEquals(plain, LanguageModelLoss.masked().crossEntropy(z, targets).getFloat(), 1e-6);
            NDArray none = manager.full(new Shape(2, 3), LanguageModelLoss.IGNORED);
            assertEquals(0, LanguageModelLoss.masked().crossEntropy(z, none).getFloat(), 0.0);
        }
    }

    /** log softmax(logits at position)[target] in float64, shifted by the largest logit. */
    private static double logSoftmax(float[] logits, int position, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
            max = Math.max(max, logits[position * V + v]);
        }
        double sumExp = 0;
        for (int v = 0; v < V; v++) {
            sumExp += Math.exp(logits[position * V + v] - max);
        }
        return logits[position * V + target] - max - Math.log(sumExp);
    }
}
