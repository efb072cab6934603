/**
 * What a run leaves on disk, and how it is read back safely. Read {@link org.scratchgpt.checkpoint.Checkpoint}
 * first: the folder format (config.json, tokenizer.json, the weights, optimizer.bin, state.json, manifest.json),
 * handed its weights writer and its files for people by the caller, and {@link org.scratchgpt.checkpoint.RunState}
 * (state.json: where the loop was). {@link org.scratchgpt.checkpoint.Manifest}
 * (each file's size and SHA-256, so a damaged checkpoint is refused by name) and {@link
 * org.scratchgpt.checkpoint.JsonFile} (JSON read field by field, with errors that name the field) keep it honest,
 * and {@link org.scratchgpt.checkpoint.RunFolder} locks a run's folder and repairs what a killed run left. The
 * provenance records say where a run's weights and data came from: {@link
 * org.scratchgpt.checkpoint.InitialWeights} and {@link org.scratchgpt.checkpoint.FinetunedFrom} (the checkpoint a
 * fine-tune starts from), {@link org.scratchgpt.checkpoint.RunCorpus} and {@link
 * org.scratchgpt.checkpoint.ConversationFiles} (the text it trains on, by SHA-256). It uses model, optim and
 * tokenizer for what a checkpoint holds, config and io to read and write it.
 *
 * <p>May use: config, io, model, optim, tokenizer.
 */
package org.scratchgpt.checkpoint;
