package org.scratchgpt.tokens;

import org.scratchgpt.checkpoint.ConversationFiles;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * What a fine-tuning run learns from when it is not a plain corpus: instruction tuning's conversations
 * ({@code org.scratchgpt.chat.ChatData}). It may add tokens to the source's tokenizer (the model's vocabulary then
 * grows, {@code training.VocabularyGrowth}), gives the batches, and its targets may be {@link LanguageModelLoss#IGNORED},
 * which the run's loss ({@link LanguageModelLoss#masked()}) leaves out.
 */
public interface TuningData {
    /** The files it was read from, for the run's checkpoints: a resumed run reads them again. */
    ConversationFiles files();

    /** The run's tokenizer, made from the source checkpoint's (a resumed run keeps its checkpoint's instead). */
    Tokenizer tokenizer(Tokenizer source);

    /** The training batches, in the order {@code seed} fixes. */
    TrainingBatches train(Tokenizer tokenizer, int batchSize, int contextLength, long seed);

    /** The validation batches. */
    TrainingBatches val(Tokenizer tokenizer, int batchSize, int contextLength, long seed);

    /** Bytes of text per counted token on the validation data, for bits per byte. */
    double valBytesPerToken(Tokenizer tokenizer);
}
