/**
 * Weights converted once for generation, so that each new token reads fewer bytes. Generating one token reads every
 * weight of the model once and does little arithmetic with it, so on a CPU the step is bounded by how fast memory
 * delivers the weights: half the bytes, nearly twice the tokens per second. Read {@link
 * org.scratchgpt.quantize.Int8Rows} first (weight-only int8 with one scale per output row, in plain Java), then the two
 * blocks that replace a projection of a loaded model, {@link org.scratchgpt.quantize.HalfProjection} (the weight in
 * bfloat16 or float16, cast once instead of at every call) and {@link org.scratchgpt.quantize.Int8Projection} (the
 * int8 weight and its scales), and {@link org.scratchgpt.quantize.GenerationWeights}, which puts them in place of
 * every projection and the output head of a loaded GPT. The {@link org.scratchgpt.quantize.WeightFormat} says which,
 * and how many bytes a step then reads. Like LoRA, this lives beside the model, which knows nothing of it; a converted
 * model is for inference only.
 *
 * <p>May use: model, torchscript.
 */
package org.scratchgpt.quantize;
