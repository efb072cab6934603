package org.scratchgpt.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * DJL's bridge between Java values and the GPT's arrays, for one generation step: in goes the token window (the
 * last context_length ids at most), out come the scores for the token that follows it. With it a
 * {@link ai.djl.inference.Predictor} runs the model the way DJL runs any model for inference, whether the GPT
 * was just built or loaded from a checkpoint through DJL's {@code Criteria}.
 *
 * <p>The arrays live on the context's manager, which the predictor makes for each call and closes after it;
 * that is what keeps a long generation from piling up arrays. So the logits are copied out into Java before
 * returning.
 */
public final class NextTokenLogitsTranslator implements NoBatchifyTranslator<int[], float[]> {

    /** The window as a batch of one sequence: ids (1, T). */
    @Override
    public NDList processInput(TranslatorContext context, int[] window) {
        return new NDList(context.getNDManager().create(window, new Shape(1, window.length)));
    }

    /** The scores at the last position, the only ones that predict a token not yet seen: (V). */
    @Override
    public float[] processOutput(TranslatorContext context, NDList outputs) {
        NDArray logits = outputs.singletonOrThrow();                // (1, T, V)
        long last = logits.getShape().get(1) - 1;
        return logits.get(0, last).toFloatArray();                  // (V)
    }
}
