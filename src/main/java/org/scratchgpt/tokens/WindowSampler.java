package org.scratchgpt.tokens;

/**
 * Picks where each training window starts: uniformly at random among all positions that leave room for a window
 * of {@code contextLength} tokens plus the one token after it (the last target). That is nanoGPT's
 * {@code torch.randint(len(data) - block_size, (batch_size,))}: starts 0 .. tokenCount - contextLength - 1.
 *
 * <p>Resuming a run must continue the exact sequence of windows it would have seen, so the generator's whole
 * state has to be saved in a checkpoint and put back. {@link java.util.Random} hides its state, and
 * {@link java.util.SplittableRandom} neither exposes nor serialises it, so this class carries its own
 * generator, SplitMix64 (Steele, Lea and Flood, 2014; the generator inside {@code SplittableRandom}): its entire
 * state is one {@code long}, {@link #state()} reads it and {@link #restore(long)} puts it back. It is fast and
 * passes the usual statistical test suites, which is all window sampling needs.
 */
public final class WindowSampler {
    /** The odd "golden gamma" 2^64 / phi that SplitMix64 adds at each step; odd, so all 2^64 states are visited. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long startCount;
    private long state;

    /**
     * @param tokenCount    tokens in the file the windows are cut from
     * @param contextLength tokens per window (T); each window also needs the token after it
     * @param seed          any value; the same seed gives the same starts
     */
    public WindowSampler(long tokenCount, int contextLength, long seed) {
        if (contextLength <= 0) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        if (tokenCount < contextLength + 1L) {
            throw new IllegalArgumentException(tokenCount + " tokens cannot hold a window of " + contextLength
                    + " tokens plus its next-token target");
        }
        this.startCount = tokenCount - contextLength;
        this.state = seed;
    }

    /** The next window start, uniform in [0, tokenCount - contextLength - 1]. */
    public long nextStart() {
        return nextBelow(startCount);
    }

    /** Everything needed to continue the sequence: pass it to {@link #restore(long)}, here or in a new sampler. */
    public long state() {
        return state;
    }

    /** Continues from a {@link #state()}: the following starts are exactly those that followed it then. */
    public void restore(long savedState) {
        this.state = savedState;
    }

    /**
     * A uniform value in [0, bound). Taking {@code bits % bound} alone would favour small values whenever bound
     * does not divide 2^63; the loop throws away draws from the incomplete last block of 2^63 (the same test as
     * {@code SplittableRandom.nextLong(bound)}), which for realistic bounds almost never happens.
     */
    private long nextBelow(long bound) {
        long bits;
        long value;
        do {
            bits = nextLong() >>> 1; // 63 random bits, non-negative
            value = bits % bound;
        } while (bits - value + (bound - 1) < 0); // overflow means bits fell in the incomplete block
        return value;
    }

    /** One SplitMix64 step: advance the state by the gamma, then scramble it into an output. */
    long nextLong() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
