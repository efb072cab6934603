/**
 * The GPT itself, as DJL blocks, one idea per class, in the order the data flows: {@link
 * org.scratchgpt.model.TokenEmbedding}, a positional encoding, n_layer {@link
 * org.scratchgpt.model.TransformerBlock}s (each a {@link org.scratchgpt.model.CausalSelfAttention} and a {@link
 * org.scratchgpt.model.FeedForward}, each behind a {@link org.scratchgpt.model.LayerNorm}), a final LayerNorm and
 * the {@link org.scratchgpt.model.OutputHead}. {@link org.scratchgpt.model.Gpt} puts them together from a {@link
 * org.scratchgpt.model.GptConfig}, usually taken from {@link org.scratchgpt.model.Presets}.
 *
 * <p>One DJL rule shapes the code: the result of {@code a.op(b)} belongs to {@code a}'s manager. Operations are
 * therefore called on the activations (which live on the current step's manager and are freed with it), never
 * on a parameter or a cached constant, whose manager lives as long as the model; slices of those are taken with
 * {@code get(activation.getManager(), index)}.
 */
package org.scratchgpt.model;
