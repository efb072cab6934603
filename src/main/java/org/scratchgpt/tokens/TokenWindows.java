package org.scratchgpt.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import java.util.Iterator;
import org.scratchgpt.UserError;

/**
 * Training examples for a language model, as a DJL {@link Dataset}: random windows of a {@link TokenFile}. Each
 * batch holds B windows of T tokens as data x, shape (B, T), and as labels y the same windows moved one token on,
 * so that y[b, t] is the token that follows x[b, 0..t], the one the model must predict at position t. This is
 * nanoGPT's {@code get_batch}: {@code x = data[i:i+T]}, {@code y = data[i+1:i+1+T]} for random starts i.
 *
 * <p>The ids are int32: {@code TokenEmbedding} (DJL's embedding) and the gather or {@code pick} of a cross-entropy
 * accept them as they are, and they take half the memory of int64.
 *
 * <p>There are no epochs in the usual sense, since random windows never run out: {@link #getData} gives
 * {@code batchesPerEpoch} batches (as many steps as the loop wants), and the next call continues where it
 * stopped. The starts come from one {@link WindowSampler}, which advances when a batch is made; saving
 * {@link #samplerState()} between steps and {@link #restoreSampler restoring} it after a restart gives exactly the
 * batches the interrupted run would have seen next.
 *
 * <p>Each batch lives on its own sub-manager of the manager passed in, which {@link Batch#close()} closes with
 * both arrays, so a loop that closes every batch (DJL's {@code EasyTrain} does) keeps nothing from one step to the
 * next. Not thread-safe: one loop draws the batches.
 */
public final class TokenWindows implements Dataset, TrainingBatches {
    private final TokenSequence tokens;
    private final int batchSize;
    private final int contextLength;
    private final long batchesPerEpoch;
    private final WindowSampler sampler;

    /**
     * @param tokens          the tokens to cut windows from (train.bin, or a dataset's train shards, for training)
     * @param batchSize       windows per batch (B)
     * @param contextLength   tokens per window (T, the model's block_size)
     * @param batchesPerEpoch batches one {@link #getData} call gives
     * @param seed            seed of the window starts: the same seed gives the same batches
     * @throws UserError if a size is not positive or the file is too short for one window
     */
    public TokenWindows(TokenSequence tokens, int batchSize, int contextLength, long batchesPerEpoch, long seed) {
        requirePositive("batch size", batchSize);
        requirePositive("context length (block_size)", contextLength);
        requirePositive("batches per epoch", batchesPerEpoch);
        if (tokens.size() < contextLength + 1L) {
            throw new UserError(tokens.describe() + " holds " + tokens.size() + " tokens, too few for one"
                    + " window of " + contextLength + " tokens plus the token after it: use a bigger corpus or a"
                    + " smaller context length (block_size)");
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.contextLength = contextLength;
        this.batchesPerEpoch = batchesPerEpoch;
        this.sampler = new WindowSampler(tokens.size(), contextLength, seed);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new UserError(name + " must be positive, got " + value);
        }
    }

    /** Nothing to download or decode: the token file is already memory-mapped. */
    @Override
    public void prepare(Progress progress) {}

    /**
     * The next {@code batchesPerEpoch} training batches, on sub-managers of {@code manager}; close each one after
     * its step. Each call continues the sequence of the previous one.
     */
    @Override
    public Iterable<Batch> getData(NDManager manager) {
        return () -> batches(manager, sampler, batchesPerEpoch);
    }

    /** The next training batch, on a sub-manager of {@code manager}; the caller closes it. */
    @Override
    public Batch nextBatch(NDManager manager) {
        return makeBatch(manager, sampler, 0, 1);
    }

    /**
     * {@code count} batches drawn with their own generator seeded by {@code seed}: the same batches every time
     * this is iterated, so that successive validation losses are measured on the same text and the curve moves
     * only because the model does. (nanoGPT draws new random batches each time, which adds noise.) The training
     * sequence is not touched.
     */
    @Override
    public Iterable<Batch> evaluationBatches(NDManager manager, int count, long seed) {
        requirePositive("evaluation batch count", count);
        return () -> batches(manager, new WindowSampler(tokens.size(), contextLength, seed), count);
    }

    /** Everything needed to continue the training batches later: save it with the checkpoint. */
    @Override
    public long samplerState() {
        return sampler.state();
    }

    /** Continues the training batches from a saved {@link #samplerState()}. */
    @Override
    public void restoreSampler(long state) {
        sampler.restore(state);
    }

    public TokenSequence tokens() {
        return tokens;
    }

    public int batchSize() {
        return batchSize;
    }

    public int contextLength() {
        return contextLength;
    }

    public long batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Lazily made batches: the sampler advances only when the loop asks for the next one. */
    private Iterator<Batch> batches(NDManager manager, WindowSampler starts, long count) {
        return TrainingBatches.lazily(count, index -> makeBatch(manager, starts, index, count));
    }

    private Batch makeBatch(NDManager manager, WindowSampler starts, long index, long total) {
        int[] inputs = new int[batchSize * contextLength];
        int[] targets = new int[batchSize * contextLength];
        int[] window = new int[contextLength + 1];
        for (int b = 0; b < batchSize; b++) {
            readWindow(starts.nextStart(), window);
            System.arraycopy(window, 0, inputs, b * contextLength, contextLength);  // x = window[0 .. T-1]
            System.arraycopy(window, 1, targets, b * contextLength, contextLength); // y = window[1 .. T]
        }
        NDManager batchManager = manager.newSubManager();
        Shape shape = new Shape(batchSize, contextLength);
        NDArray x = batchManager.create(inputs, shape);  // (B, T) int32
        NDArray y = batchManager.create(targets, shape); // (B, T) int32
        // STACK lets Batch.split cut the batch along B for several devices.
        return new Batch(batchManager, new NDList(x), new NDList(y), batchSize,
                Batchifier.STACK, Batchifier.STACK, index, total);
    }

    /** The T + 1 ids from {@code start}: the window and the token after it. */
    private void readWindow(long start, int[] window) {
        for (int i = 0; i < window.length; i++) {
            window[i] = tokens.get(start + i);
        }
    }
}
