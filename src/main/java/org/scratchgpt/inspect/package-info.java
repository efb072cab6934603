/**
 * A trained model opened to look inside, for pictures and notebooks. Read {@link
 * org.scratchgpt.inspect.CheckpointProbe}: a checkpoint loaded on the CPU in float32 with attention written out,
 * asked what its attention does on a text, for its token embeddings and position table, and for its next-token
 * distribution; {@link org.scratchgpt.inspect.PositionTables} gives the fixed position encodings as tables to draw,
 * computed by the model's own code. It uses checkpoint, model and tokenizer, generation for the sampler, and
 * pictures for token labels.
 *
 * <p>May use: checkpoint, generation, model, pictures, tokenizer.
 */
package org.scratchgpt.inspect;
