/**
 * The GPT itself, as DJL blocks, one idea per class, in the order the data flows: {@link
 * org.scratchgpt.model.TokenEmbedding}, a {@link org.scratchgpt.model.PositionalEncoding}, n_layer {@link
 * org.scratchgpt.model.TransformerBlock}s (each a {@link org.scratchgpt.model.CausalSelfAttention} and a {@link
 * org.scratchgpt.model.FeedForward}, each behind a {@link org.scratchgpt.model.LayerNorm}), a final LayerNorm and the
 * {@link org.scratchgpt.model.OutputHead}; {@link org.scratchgpt.model.Gpt} puts them together from a {@link
 * org.scratchgpt.model.GptConfig}, usually one of the {@link org.scratchgpt.model.Presets}. {@link
 * org.scratchgpt.model.Compute} says how the arithmetic runs (its {@link org.scratchgpt.model.Precision}, attention
 * written out or fused through {@link org.scratchgpt.model.TorchKernels}) and {@link org.scratchgpt.model.KvCache}
 * keeps keys and values for generation. One DJL rule shapes the code: the result of {@code a.op(b)} belongs to
 * {@code a}'s manager, so operations are called on the activations, which are freed with the step, never on a
 * parameter or a cached constant, which live as long as the model. The model uses config (to read its config) and
 * torchscript (for the kernels DJL lacks); training, fine-tuning and the rest build on it, never the other way round.
 *
 * <p>May use: config, torchscript.
 */
package org.scratchgpt.model;
