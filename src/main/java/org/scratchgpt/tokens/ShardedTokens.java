package org.scratchgpt.tokens;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.scratchgpt.UserError;

/**
 * The shards of one split of a prepared dataset ({@code tokens/train/shard-00000.bin, shard-00001.bin, ...}) read
 * as one stream of tokens: shard 0's ids, then shard 1's, and so on. Shards are a way to keep files a manageable
 * size and nothing more (documents are already separated by the end-of-text token inside the stream), so a
 * training window may start in one shard and end in the next, exactly as it would in one big file. Each shard is a
 * memory-mapped {@link TokenFile}, so the whole split never has to fit in memory.
 *
 * <p>Token {@code i} lives in the last shard whose first index is &lt;= i; {@code firstIndex} holds those first
 * indices (a running sum of the shard sizes), searched by bisection.
 */
public final class ShardedTokens implements TokenSequence {
    private final String name;
    private final TokenFile[] shards;
    /** firstIndex[s]: the stream index of shard s's first token; firstIndex[shards.length]: the total. */
    private final long[] firstIndex;

    /**
     * @param name   what the stream is, for messages, e.g. "the train split of dataset out/"
     * @param shards the shards in stream order; all made by one tokenizer (the same vocab size), none empty
     */
    public ShardedTokens(String name, List<TokenFile> shards) {
        this.name = Objects.requireNonNull(name, "name");
        if (shards.isEmpty()) {
            throw new UserError(name + " has no token shards: run `scratchgpt data prepare` again");
        }
        this.shards = shards.toArray(TokenFile[]::new);
        this.firstIndex = new long[this.shards.length + 1];
        for (int s = 0; s < this.shards.length; s++) {
            TokenFile shard = this.shards[s];
            if (shard.vocabSize() != this.shards[0].vocabSize() || shard.size() == 0) {
                throw new UserError(shard.describe() + " does not belong with " + this.shards[0].describe()
                        + " (vocab " + shard.vocabSize() + " vs " + this.shards[0].vocabSize() + ", " + shard.size()
                        + " tokens): run `scratchgpt data prepare` again");
            }
            firstIndex[s + 1] = firstIndex[s] + shard.size();
        }
    }

    @Override
    public long size() {
        return firstIndex[shards.length];
    }

    @Override
    public int get(long index) {
        Objects.checkIndex(index, size());
        int s = shardOf(index);
        return shards[s].get(index - firstIndex[s]);
    }

    @Override
    public int vocabSize() {
        return shards[0].vocabSize();
    }

    @Override
    public String describe() {
        return name + " (" + shards.length + " shard" + (shards.length == 1 ? "" : "s") + ")";
    }

    /** How many shard files the stream is made of. */
    public int shardCount() {
        return shards.length;
    }

    /** The shard that holds stream index {@code index}. */
    private int shardOf(long index) {
        int at = Arrays.binarySearch(firstIndex, 0, shards.length, index);
        // Found: index is a shard's first token. Not found: -(insertion point) - 1, and the shard is the one before.
        return at >= 0 ? at : -at - 2;
    }
}
