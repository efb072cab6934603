package org.scratchgpt.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.scratchgpt.model.Gpt;

/**
 * Where a generator gets the model's scores (logits) for the next token of each of B streams that grow together:
 * by running the whole window again ({@link UncachedScores}, the readable reference) or only the new tokens
 * against a KV cache ({@link CachedScores}). Both see the same window, the last context_length tokens, so both
 * give the same scores.
 */
public interface NextTokenScores extends AutoCloseable {

    /** Scores for {@code gpt} (inside a model whose manager is {@code modelManager}), with or without a KV cache. */
    static NextTokenScores of(Gpt gpt, NDManager modelManager, boolean kvCache) {
        return kvCache ? new CachedScores(gpt, modelManager) : new UncachedScores(gpt, modelManager);
    }

    /** The scores (B, V) for the token after each stream; all B streams are equally long. */
    float[][] next(List<TokenHistory> streams);

    @Override
    void close();

    /** The tokens of the streams from {@code from} on, as a batch of ids (B, T) on {@code manager}. */
    static NDArray ids(NDManager manager, List<TokenHistory> streams, int from) {
        int time = streams.get(0).length() - from;
        int[] ids = new int[streams.size() * time];
        for (int b = 0; b < streams.size(); b++) {
            System.arraycopy(streams.get(b).from(from), 0, ids, b * time, time);
        }
        return manager.create(ids, new Shape(streams.size(), time));          // (B, T)
    }

    /** Scores (B, V) copied into Java, one row per stream. */
    static float[][] rows(NDArray logits) {
        float[] all = logits.toFloatArray();                                  // (B, V), row after row
        int batch = Math.toIntExact(logits.getShape().get(0));
        if (batch == 1) {
            return new float[][] {all};                                       // the usual case: no second copy
        }
        int vocab = all.length / batch;
        float[][] rows = new float[batch][];
        for (int b = 0; b < batch; b++) {
            rows[b] = java.util.Arrays.copyOfRange(all, b * vocab, (b + 1) * vocab);
        }
        return rows;
    }
}
