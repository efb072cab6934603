package org.scratchgpt.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.scratchgpt.model.Gpt;

/**
 * The reference way to score the next token, as nanoGPT's {@code generate} does: run the model on the last
 * context_length tokens of every stream and keep the last position's scores, (B, T) -> (B, V): nanoGPT's forward
 * without targets scores only that position, and so does {@link Gpt#nextTokenLogits}. Every step recomputes every
 * position of the window, so a step costs T times the work of one token.
 */
final class UncachedScores implements NextTokenScores {

    private final Gpt gpt;
    private final NDManager manager;      // the scorer's own: constants such as the causal mask live here
    private final ParameterStore store;

    UncachedScores(Gpt gpt, NDManager modelManager) {
        this.gpt = gpt;
        this.manager = modelManager.newSubManager();
        this.store = new ParameterStore(manager, false);
    }

    @Override
    public float[][] next(List<TokenHistory> streams) {
        int length = streams.get(0).length();
        int from = Math.max(0, length - gpt.config().contextLength());
        // Each step's arrays live on a manager closed after the step, so any number of steps leaves none behind.
        try (NDManager step = manager.newSubManager()) {
            NDArray window = NextTokenScores.ids(step, streams, from);                      // (B, T)
            return NextTokenScores.rows(gpt.nextTokenLogits(store, window));                 // (B, V)
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
