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
 * <p>At the context limit. The model sees at most context_length positions, and a model with learned positions
 * has no row for position context_length, so the cache cannot simply grow on. Dropping the oldest position would
 * not help either: every kept key was computed at its old position (its learned or rotary position is inside
 * it), and the window the model is trained on starts at position 0. So when a new token does not fit, the cache
 * is cleared and the last context_length tokens are prefilled again, exactly the window {@link UncachedScores}
 * runs. The scores stay identical to the uncached ones, and past the limit every step costs a full window, as
 * without a cache.
 */
final class CachedScores implements NextTokenScores {

    private final Gpt gpt;
    private final NDManager manager;      // the scorer's own: the cache and constants such as the causal mask
    private final ParameterStore store;
    private final KvCache cache;
    private int cachedUpTo;               // how many tokens of the streams went through the model so far

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
        int from = cachedUpTo;
        if (cache.length() + (length - cachedUpTo) > context) {
            cache.clear();                                             // the window is full: prefill it again
            from = Math.max(0, length - context);
        }
        // Each step's arrays live on a manager closed after the step; the cache keeps its own.
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = NextTokenScores.ids(step, streams, from);              // (B, T): new tokens only
            NDArray logits = gpt.forwardCached(store, ids, cache);              // (B, T, V)
            cachedUpTo = length;
            return NextTokenScores.lastPosition(logits);                         // (B, V)
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
