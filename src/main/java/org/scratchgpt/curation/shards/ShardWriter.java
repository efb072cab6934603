package org.scratchgpt.curation.shards;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.tokens.DatasetManifest;
import org.scratchgpt.tokens.TokenFileWriter;

/**
 * Writes one split's token stream as shards of at most {@code tokensPerShard} tokens each,
 * {@code shard-00000.bin}, {@code shard-00001.bin}, ..., in the {@link org.scratchgpt.tokens.TokenFile} format
 * (uint16 ids up to 65,536 tokens of vocabulary, int32 above). A document may be cut between two shards: training
 * reads the shards of a split back as one stream, so the cut is invisible to it. Each shard is written to a
 * temporary file and renamed when complete.
 */
final class ShardWriter implements AutoCloseable {
    private final Path dir;
    private final String split;
    private final int vocabSize;
    private final long tokensPerShard;
    private final List<DatasetManifest.Shard> written = new ArrayList<>();
    private TokenFileWriter current;

    /** @param dir the split's folder, e.g. {@code OUT/tokens/train}; shard paths are recorded as "split/name" */
    ShardWriter(Path dir, String split, int vocabSize, long tokensPerShard) {
        if (tokensPerShard < 1) {
            throw new IllegalArgumentException("tokens per shard must be at least 1, got " + tokensPerShard);
        }
        this.dir = dir;
        this.split = split;
        this.vocabSize = vocabSize;
        this.tokensPerShard = tokensPerShard;
    }

    /** Appends ids, starting a new shard whenever the current one is full. */
    void append(int[] ids) throws IOException {
        int from = 0;
        while (from < ids.length) {
            if (current == null) {
                current = TokenFileWriter.create(dir.resolve(shardName(written.size())), vocabSize);
            }
            int room = (int) Math.min(tokensPerShard - current.count(), ids.length - from);
            current.append(ids, from, from + room);
            from += room;
            if (current.count() == tokensPerShard) {
                finishCurrent();
            }
        }
    }

    /** Finishes the last shard; returns every shard written, in order. */
    List<DatasetManifest.Shard> finish() throws IOException {
        if (current != null) {
            finishCurrent();
        }
        return List.copyOf(written);
    }

    private void finishCurrent() throws IOException {
        try (TokenFileWriter writer = current) {
            writer.finish();
            String name = shardName(written.size());
            written.add(new DatasetManifest.Shard(split + "/" + name, writer.count(), writer.idsSha256()));
        }
        current = null;
    }

    static String shardName(int index) {
        return String.format(java.util.Locale.ROOT, "shard-%05d.bin", index);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close(); // unfinished: its temporary file is deleted
        }
    }
}
