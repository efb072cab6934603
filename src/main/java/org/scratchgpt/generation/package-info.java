/**
 * Text from a trained GPT. Read {@link org.scratchgpt.generation.TextGenerator} first: score the next token, pick
 * it, append it, stream its text, for one sample or a batch; {@link org.scratchgpt.generation.NextTokenSampler}
 * picks as {@link org.scratchgpt.generation.SamplingSettings} say (temperature, top-k, top-p, seed). The scores, a
 * {@link org.scratchgpt.generation.NextTokenScores}, come from {@link org.scratchgpt.generation.UncachedScores} (the
 * last context_length tokens run again every step: the reference) or {@link org.scratchgpt.generation.CachedScores}
 * (the prompt once, then one token per step against the model's {@code KvCache}); {@link
 * org.scratchgpt.generation.TokenTextStream} hands out only whole characters, and {@link
 * org.scratchgpt.generation.NextTokenLogitsTranslator} lets a DJL {@code Predictor} run the model. The NDManager rule
 * of model holds here too: every array of a step lives on a manager closed when the step ends. It uses model and
 * tokenizer, nothing else.
 *
 * <p>May use: model, tokenizer.
 */
package org.scratchgpt.generation;
