/**
 * Text generation from a trained GPT. {@link org.scratchgpt.generation.TextGenerator} runs the loop (score the
 * next token, pick, append, stream the text) for one sample or a batch of them; the scores come from {@link
 * org.scratchgpt.generation.CachedScores} (prefill once, then one token per step against a {@link
 * org.scratchgpt.model.KvCache}) or from {@link org.scratchgpt.generation.UncachedScores} (the last context_length
 * tokens run again every step: the reference). {@link org.scratchgpt.generation.NextTokenSampler} picks each token
 * from the model's scores as {@link org.scratchgpt.generation.SamplingSettings} say (temperature, top-k, top-p,
 * seed); {@link org.scratchgpt.generation.NextTokenLogitsTranslator} lets a DJL {@code Predictor} run the model
 * for callers that load it through DJL's {@code Criteria}.
 *
 * <p>The NDManager rule of {@link org.scratchgpt.model} holds here too: every array of a step lives on a manager
 * that is closed when the step ends, and what outlives the step is either copied into Java first (the scores for
 * the next token) or kept on the cache's own manager (the keys and values), which replaces, and closes, them.
 */
package org.scratchgpt.generation;
