package org.scratchgpt.generation;

/**
 * What one call of {@link TextGenerator#generate} produced.
 *
 * @param promptIds the ids generation started from (for an empty prompt, the single start token)
 * @param newIds the generated ids, without the prompt and without the stop token
 * @param newText the generated text, {@code tokenizer.decode(newIds)}; equal to the streamed pieces put together
 * @param stoppedAtStopToken whether the stop token ended generation before max new tokens
 */
public record Generation(int[] promptIds, int[] newIds, String newText, boolean stoppedAtStopToken) {}
