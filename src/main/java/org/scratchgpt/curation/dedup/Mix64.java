package org.scratchgpt.curation.dedup;

/**
 * The 64-bit mixing function that every hash in deduplication is built from: the finaliser of MurmurHash3
 * ("fmix64"). It is a bijection on 64-bit values (xor-shifts and multiplications by odd constants are invertible)
 * in which every input bit flips about half of the output bits, so {@code mix(x ^ seed)} behaves like a random
 * permutation of the 64-bit space chosen by {@code seed}. Deterministic: the same input gives the same hash on every
 * machine and run, which is what makes deduplication decisions reproducible.
 */
final class Mix64 {
    private Mix64() {
    }

    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    /**
     * The {@code index}-th value of the SplitMix64 sequence started at {@code seed}: a cheap way to derive many
     * well-spread seeds (one per MinHash function) from one user-visible seed.
     */
    static long splitMix(long seed, int index) {
        return mix(seed + 0x9e3779b97f4a7c15L * (index + 1));
    }
}
