package org.scratchgpt.tokens;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.LongFunction;
import org.scratchgpt.optim.LanguageModelLoss;

/**
 * Where a training loop's batches come from: inputs (B, T) and targets (B, T). {@link TokenWindows} cuts them from
 * a token file (pretraining); instruction tuning packs conversations whose unanswered positions have the target
 * {@link LanguageModelLoss#IGNORED}. Each batch lives on a sub-manager of the manager passed in; the caller closes it.
 */
public interface TrainingBatches {
    /** The next training batch. */
    Batch nextBatch(NDManager manager);

    /** {@code count} batches fixed by {@code seed}: the same ones each time, for evaluation; training is not moved. */
    Iterable<Batch> evaluationBatches(NDManager manager, int count, long seed);

    /** Everything needed to continue the training batches later: saved with the checkpoint. */
    long samplerState();

    /** Continues the training batches from a saved {@link #samplerState()}. */
    void restoreSampler(long state);

    /** {@code count} batches made one at a time by {@code make(index)}, only when the loop asks for the next one. */
    static Iterator<Batch> lazily(long count, LongFunction<Batch> make) {
        return new Iterator<>() {
            private long made;

            @Override
            public boolean hasNext() {
                return made < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + count + " batches were given");
                }
                return make.apply(made++);
            }
        };
    }
}
