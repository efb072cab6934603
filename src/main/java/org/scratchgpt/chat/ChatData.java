package org.scratchgpt.chat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.ConversationFiles;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokens.TrainingBatches;
import org.scratchgpt.tokens.TuningData;

/**
 * Instruction tuning's data for a fine-tuning run: training and validation conversations, rendered with the chat
 * template (whose tokens it adds to the source's tokenizer) and packed into {@link ConversationBatches}. Without a
 * validation file, the last tenth of the conversations (at least one) is held out, as a corpus' last 10% is.
 * The run's checkpoints record the files it was read from, so that a resumed run reads them again.
 */
public final class ChatData implements TuningData {
    private final List<Conversation> train;
    private final List<Conversation> val;
    private final ConversationFiles files;

    private ChatData(List<Conversation> train, List<Conversation> val, ConversationFiles files) {
        if (train.isEmpty() || val.isEmpty()) {
            throw new UserError("instruction tuning needs training and validation conversations, got " + train.size()
                    + " and " + val.size());
        }
        this.train = List.copyOf(train);
        this.val = List.copyOf(val);
        this.files = files;
    }

    /** The conversations of {@code chat}, validated on those of {@code chatVal}, or on its own last tenth if null. */
    public static ChatData read(Path chat, Path chatVal) throws IOException {
        List<Conversation> all = ConversationFile.read(chat);
        ConversationFiles files = ConversationFiles.of(chat, chatVal);
        if (chatVal != null) {
            return new ChatData(all, ConversationFile.read(chatVal), files);
        }
        if (all.size() < 2) {
            throw new UserError(chat + " holds one conversation: its last tenth is the validation split, so give at"
                    + " least two, or a validation file with --chat-val");
        }
        int trainSize = all.size() - Math.max(1, all.size() / 10);
        return new ChatData(all.subList(0, trainSize), all.subList(trainSize, all.size()), files);
    }

    @Override
    public ConversationFiles files() {
        return files;
    }

    /**
     * Checks, before any training, that every conversation renders with {@code tokenizer} (e.g. no character outside
     * its vocabulary), and that the training and the validation conversations each keep some answer within
     * {@code contextLength}: where all are cut before their first answer there is nothing to learn or to measure.
     */
    public void requireLearnable(Tokenizer tokenizer, int contextLength) {
        ChatTemplate template = new ChatTemplate(tokenizer(tokenizer));
        new FittedConversations(train, template, contextLength).requireSomethingToLearn("training conversations");
        new FittedConversations(val, template, contextLength).requireSomethingToLearn("validation conversations");
    }

    @Override
    public Tokenizer tokenizer(Tokenizer source) {
        return ChatTemplate.withChatTokens(source);
    }

    @Override
    public TrainingBatches train(Tokenizer tokenizer, int batchSize, int contextLength, long seed) {
        return new ConversationBatches(train, new ChatTemplate(tokenizer), batchSize, contextLength, seed);
    }

    @Override
    public TrainingBatches val(Tokenizer tokenizer, int batchSize, int contextLength, long seed) {
        return new ConversationBatches(val, new ChatTemplate(tokenizer), batchSize, contextLength, seed);
    }

    /** Bytes of the assistant's answers (with their end tokens) per counted token. */
    @Override
    public double valBytesPerToken(Tokenizer tokenizer) {
        ChatTemplate template = new ChatTemplate(tokenizer);
        long bytes = 0;
        long tokens = 0;
        for (Conversation conversation : val) {
            ChatTemplate.Rendered rendered = template.render(conversation);
            for (int i = 0; i < rendered.ids().length; i++) {
                if (rendered.counted()[i]) {
                    bytes += tokenizer.decodeBytes(new int[] {rendered.ids()[i]}).length;
                    tokens++;
                }
            }
        }
        return (double) bytes / tokens;
    }
}
