package org.scratchgpt.tokens;

/**
 * A long run of token ids that training cuts windows from: one {@link TokenFile} (a corpus's train.bin), or the
 * shards of one split of a prepared dataset read as one stream ({@link ShardedTokens}). Indexed by {@code long},
 * since a corpus may hold more than 2^31 tokens; read through memory maps, so it never has to fit in the heap.
 */
public interface TokenSequence {
    /** The number of tokens. */
    long size();

    /** The id at {@code index}, 0 &lt;= index &lt; {@link #size()}. Safe to call from several threads. */
    int get(long index);

    /** The vocab size of the tokenizer that made the ids: every id is below it. */
    int vocabSize();

    /** What the ids are, for messages, e.g. "token file data/train.bin". */
    String describe();

    /** Ids {@code [start, start + count)}, copied out. */
    default int[] read(long start, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = get(start + i);
        }
        return ids;
    }
}
