/**
 * Text generation from a trained GPT. {@link org.scratchgpt.generation.TextGenerator} runs the loop (window of
 * the last context_length tokens, forward, pick, append, stream the text); {@link
 * org.scratchgpt.generation.NextTokenSampler} picks each token from the model's scores as {@link
 * org.scratchgpt.generation.SamplingSettings} say (temperature, top-k, top-p, seed);
 * {@link org.scratchgpt.generation.NextTokenLogitsTranslator} lets a DJL {@code Predictor} run the model.
 *
 * <p>The NDManager rule of {@link org.scratchgpt.model} holds here too: every array of a step lives on a manager
 * that is closed when the step ends (the predictor's per-call context manager), and what outlives the step is
 * copied into Java first (the scores for the next token).
 */
package org.scratchgpt.generation;
