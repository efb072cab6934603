package org.scratchgpt.curation.shards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.io.Sha256;
import org.scratchgpt.io.Terminal;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import org.scratchgpt.tokens.DatasetManifest;

/**
 * The last step of {@code data prepare}: the kept documents of each split ({@code OUT/<split>/*.jsonl(.gz)})
 * become token shards that {@code train --dataset OUT} memory-maps, nanoGPT's {@code fineweb.py} in Java:
 *
 * <pre>
 * OUT/tokens/dataset.json            the manifest ({@link DatasetManifest}): tokenizer SHA-256, dtype, eot id, counts
 * OUT/tokens/tokenizer.json          a copy of the tokenizer that made the ids, so training uses the very same one
 * OUT/tokens/train/shard-00000.bin   ids of the train split, at most tokensPerShard per file
 * OUT/tokens/val/shard-00000.bin     ...
 * </pre>
 *
 * Each split is one stream: its documents in order, separated by the end-of-text token
 * ({@link DocumentSeparator}; {@code d1 <eot> d2 <eot> d3}), so one document alone is exactly its own tokens.
 * Documents are encoded on {@code threads} threads but written in their order ({@link OrderedEncoder}), so the
 * shards are byte for byte the same whatever the thread count. Memory stays flat: documents stream in, ids stream
 * out.
 *
 * <p>The whole {@code tokens/} folder is written beside the old one and swapped in at the end
 * ({@link AtomicFiles#replaceDirectory}): an interrupted run leaves the previous complete shards (or none), and
 * running it again replaces them; it never mixes shards of two runs.
 */
public final class TokenShards {
    /** nanochat's and nanoGPT's FineWeb shards hold 100M tokens each: 200 MB of uint16. */
    public static final long DEFAULT_TOKENS_PER_SHARD = 100_000_000L;

    private TokenShards() {}

    /** How to tokenize: threads, shard size, and whether to draw a progress bar. */
    public record Options(int threads, long tokensPerShard, boolean showProgress) {
        public Options {
            if (threads < 1) {
                throw new UserError("--threads must be at least 1, got " + threads);
            }
            if (tokensPerShard < 1) {
                throw new UserError("--shard-tokens must be at least 1, got " + tokensPerShard
                        + "; the default is " + DEFAULT_TOKENS_PER_SHARD);
            }
        }
    }

    /**
     * Tokenizes every split of {@code preparedDir} with the tokenizer in {@code tokenizerJson} on {@code threads}
     * threads, into shards of {@value #DEFAULT_TOKENS_PER_SHARD} tokens; returns the tokens per split.
     */
    public static Map<String, Long> tokenize(Path preparedDir, Path tokenizerJson, int threads) throws IOException {
        return tokenize(preparedDir, tokenizerJson, new Options(threads, DEFAULT_TOKENS_PER_SHARD,
                Terminal.onStandardError()));
    }

    /**
     * Checks, before any work, that {@code tokenizerJson} can make shards: it loads and has an end-of-text token.
     *
     * @throws UserError naming the problem and the fix otherwise
     */
    public static void requireUsable(Path tokenizerJson) throws IOException {
        DocumentSeparator.of(TokenizerJson.load(tokenizerJson), tokenizerJson);
    }

    /** As {@link #tokenize(Path, Path, int)}, as {@code options} say. */
    public static Map<String, Long> tokenize(Path preparedDir, Path tokenizerJson, Options options)
            throws IOException {
        Tokenizer tokenizer = TokenizerJson.load(tokenizerJson); // a clear error when missing or malformed
        DocumentSeparator separator = DocumentSeparator.of(tokenizer, tokenizerJson);
        byte[] tokenizerBytes = Files.readAllBytes(tokenizerJson);
        Path tokensDir = preparedDir.resolve(DatasetManifest.FOLDER);
        Map<String, DatasetManifest.Split> splits = new LinkedHashMap<>();
        AtomicFiles.replaceDirectory(tokensDir, fresh -> {
            for (String split : PreparedSplits.names(preparedDir)) {
                splits.put(split, tokenizeSplit(preparedDir.resolve(split), fresh.resolve(split), split, tokenizer,
                        separator, options));
            }
            Files.write(fresh.resolve(DatasetManifest.TOKENIZER), tokenizerBytes);
            new DatasetManifest(Sha256.of(tokenizerBytes), tokenizer.vocabSize(),
                    DatasetManifest.dtypeFor(tokenizer.vocabSize()), separator.id(), separator.token(),
                    options.tokensPerShard(), splits).write(fresh.resolve(DatasetManifest.FILE));
        });
        Map<String, Long> tokens = new LinkedHashMap<>();
        splits.forEach((name, split) -> tokens.put(name, split.tokens()));
        return tokens;
    }

    private static DatasetManifest.Split tokenizeSplit(Path splitDir, Path shardDir, String split,
            Tokenizer tokenizer, DocumentSeparator separator, Options options) throws IOException {
        long[] documents = {0};
        long[] tokens = {0};
        int[] eot = {separator.id()};
        try (ShardWriter shards = new ShardWriter(shardDir, split, tokenizer.vocabSize(), options.tokensPerShard());
             ProgressBar bar = progressBar(split, options.showProgress());
             OrderedEncoder encoder = new OrderedEncoder(tokenizer, options.threads(), ids -> {
                 if (documents[0]++ > 0) {
                     shards.append(eot); // between documents, not before the first: one document is its own tokens
                     tokens[0]++;
                 }
                 shards.append(ids);
                 tokens[0] += ids.length;
                 if (bar != null) {
                     bar.step();
                 }
             })) {
            PreparedSplits.forEachDocument(splitDir, document -> encoder.add(document.text()));
            encoder.finish();
            return new DatasetManifest.Split(documents[0], tokens[0], shards.finish());
        }
    }

    private static ProgressBar progressBar(String split, boolean show) {
        return show ? new ProgressBarBuilder().setTaskName("tokenize " + split).setUnit(" docs", 1).build() : null;
    }
}
