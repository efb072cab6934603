/**
 * The tokens a model trains on, from disk to batches. Read {@link org.scratchgpt.tokens.TokenFile} first (a corpus
 * already turned into ids, nanoGPT's {@code train.bin}, memory-mapped), then {@link org.scratchgpt.tokens.TokenSplit}
 * (a corpus encoded once and cut 90/10 into train and val, reused while its {@link
 * org.scratchgpt.tokens.TokenSplitFingerprint} matches) and {@link org.scratchgpt.tokens.TokenWindows} with {@link
 * org.scratchgpt.tokens.WindowSampler} (random windows x and, one token on, their targets y: nanoGPT's {@code
 * get_batch}, resumable exactly), one kind of {@link org.scratchgpt.tokens.TrainingBatches}. A prepared dataset's
 * shards (listed in a {@link org.scratchgpt.tokens.DatasetManifest}, written with {@link
 * org.scratchgpt.tokens.TokenFileWriter}) are opened by {@link org.scratchgpt.tokens.PreparedDataset} and read as
 * one {@link org.scratchgpt.tokens.ShardedTokens} stream; {@link org.scratchgpt.tokens.RunData} says which of the two
 * a run trains on, and {@link org.scratchgpt.tokens.TuningData} is a fine-tuning run's data when it is not a plain
 * corpus. It uses tokenizer and data to encode a corpus file, io for checksums and atomic writes, checkpoint for
 * what a checkpoint records of its data, and optim, whose LanguageModelLoss's ignored target it names.
 *
 * <p>May use: checkpoint, data, io, optim, tokenizer.
 */
package org.scratchgpt.tokens;
