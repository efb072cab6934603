package org.scratchgpt.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.checkpoint.ConversationFiles;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokens.RunData;
import org.scratchgpt.tokens.TokenSequence;
import org.scratchgpt.tokens.TokenWindows;
import org.scratchgpt.tokens.TrainingBatches;
import org.scratchgpt.tokens.TuningData;

/**
 * What a run learns from, as the loop needs it: the training and validation batches, the loss over them, the
 * validation text's bytes per token (for bits per byte), and what the checkpoints record of where it came from.
 * Either text, a corpus or a prepared dataset cut into windows ({@link OnText}), or instruction tuning's
 * conversations, whose loss counts the assistant's tokens only ({@link OnConversations}). Which one a run has is
 * its mode's choice ({@link RunMode#lessons}).
 *
 * <p>Made before the model, since preparing text (encoding a corpus) is where a text the tokenizer cannot encode
 * stops the run; the batches are made once the trainer exists.
 */
public sealed interface Lessons {
    /** Where the text came from, as the checkpoints name it (a corpus by SHA-256, a dataset by fingerprint). */
    RunData data();

    /** Bytes of text per token on the validation data, for bits per byte. */
    double valBytesPerToken();

    /** The loss the trainer minimises. */
    LanguageModelLoss loss();

    /** The training batches, in the order the seed fixes. */
    TrainingBatches train(TrainingSettings settings, int contextLength);

    /** The validation batches. */
    TrainingBatches val(TrainingSettings settings, int contextLength);

    /** The conversation files, which a resumed run reads again; none for text. */
    Optional<ConversationFiles> conversationFiles();

    /**
     * The spec's text: a prepared dataset's shards, or the corpus encoded once into the run's data/ folder
     * ({@link RunData#prepare}). A text the tokenizer cannot encode stops the run here, before any training.
     */
    static Lessons onText(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer, int contextLength)
            throws IOException {
        RunData data = RunData.prepare(spec.corpus(), spec.dataset(), tokenizerJson, spec.runDir().resolve("data"),
                contextLength);
        return new OnText(data, bytesPerToken(data.val(), tokenizer));
    }

    /** Conversations, which read their own files; {@code file} (the chat file) is only recorded, like a corpus. */
    static Lessons onConversations(TuningData conversations, Path file, Tokenizer tokenizer) throws IOException {
        RunData recorded = RunData.recordedOnly(file);
        return new OnConversations(conversations, tokenizer, recorded, conversations.valBytesPerToken(tokenizer));
    }

    /** Bytes per token on the validation split, for bits per byte (first million tokens at most). */
    private static double bytesPerToken(TokenSequence tokens, Tokenizer tokenizer) {
        int count = (int) Math.min(tokens.size(), 1_000_000);
        return (double) tokenizer.decodeBytes(tokens.read(0, count)).length / count;
    }

    /** Windows of a token sequence, drawn at random; the loss over every position. */
    record OnText(RunData data, double valBytesPerToken) implements Lessons {
        @Override
        public LanguageModelLoss loss() {
            return new LanguageModelLoss();
        }

        @Override
        public TrainingBatches train(TrainingSettings settings, int contextLength) {
            return new TokenWindows(data.train(), settings.batchSize(), contextLength, Long.MAX_VALUE, settings.seed());
        }

        @Override
        public TrainingBatches val(TrainingSettings settings, int contextLength) {
            return new TokenWindows(data.val(), settings.batchSize(), contextLength, 1, settings.seed());
        }

        @Override
        public Optional<ConversationFiles> conversationFiles() {
            return Optional.empty();
        }
    }

    /** Conversations rendered with {@code tokenizer}; the masked loss, which leaves out all but the assistant's. */
    record OnConversations(TuningData conversations, Tokenizer tokenizer, RunData data, double valBytesPerToken)
            implements Lessons {
        @Override
        public LanguageModelLoss loss() {
            return LanguageModelLoss.masked();
        }

        @Override
        public TrainingBatches train(TrainingSettings settings, int contextLength) {
            return conversations.train(tokenizer, settings.batchSize(), contextLength, settings.seed());
        }

        @Override
        public TrainingBatches val(TrainingSettings settings, int contextLength) {
            return conversations.val(tokenizer, settings.batchSize(), contextLength, settings.seed());
        }

        @Override
        public Optional<ConversationFiles> conversationFiles() {
            return Optional.of(conversations.files());
        }
    }
}
