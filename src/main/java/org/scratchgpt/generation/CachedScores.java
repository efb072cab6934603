package org.scratchgpt.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.KvCache;

/**
 * Scores the next token with a {@link KvCache}: the first call runs the whole prompt through the model at once
 * (prefill), each later call only the token(s) added since, at their true positions, against the kept keys and
 * values. A step then costs about one token's work instead of the whole window's.
 *
 * <p>Past the context limit. The model sees at most context_length positions, and a model with learned positions
 * has no row for position context_length, so the cache cannot simply grow on. Dropping the oldest position would
 * not help either: every kept key was computed at its old position (its learned or rotary position is inside
 * it), and the window the model is trained on starts at position 0. So once the streams are longer than the
 * context, every step must run the whole window of the last context_length tokens again, exactly as
 * {@link UncachedScores} does; and it does it the same way, without the cache. Filling a cache there would be
 * work for nothing (the next step's window starts one token later, so nothing kept could be reused), and it was
 * what made the cached path slower than the uncached one on small models (0.5 to 0.9x). Either way the scores are
 * those of the same window, so the tokens do not depend on which path ran.
 */
final class CachedScores implements NextTokenScores {

    private final Gpt gpt;
    private final NDManager manager;      // the scorer's own: the cache and constants such as the causal mask
    private final ParameterStore store;
    private final KvCache cache;
    private int cachedUpTo;               // how many tokens of the streams went through the cache so far

    CachedScores(Gpt gpt, NDManager modelManager) {
        this.gpt = gpt;
        this.manager = modelManager.newSubManager();
        this.store = new ParameterStore(manager, false);
        this.cache = new KvCache(manager, gpt.config());
    }

    @Override
    public float[][] next(List<TokenHistory> streams) {
        int length = streams.get(0).length();
        int context = gpt.config().contextLength();
        // Each step's arrays live on a manager closed after the step; the cache keeps its own.
        try (NDManager step = manager.newSubManager()) {
            NDArray logits;
            if (length > context) {                                              // past the limit: the whole window
                NDArray window = NextTokenScores.ids(step, streams, length - context); // (B, context)
                logits = gpt.nextTokenLogits(store, window);                     // (B, V)
            } else {
                NDArray ids = NextTokenScores.ids(step, streams, cachedUpTo);    // (B, T): new tokens only
                logits = gpt.forwardCached(store, ids, cache);                   // (B, V)
                cachedUpTo = length;
            }
            return NextTokenScores.rows(logits);                                 // (B, V)
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
