package org.scratchgpt.tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Sha256;

/**
 * The token shards that {@code scratchgpt data prepare --out DIR} wrote to {@code DIR/tokens/}, opened for
 * training: the {@code train} and {@code val} splits, each its shards read as one memory-mapped stream
 * ({@link ShardedTokens}). Opening checks that the run's tokenizer is the one that made the ids (by SHA-256) and
 * that every shard is there with the token count the manifest records.
 */
public record PreparedDataset(Path dir, String fingerprint, TokenSequence train, TokenSequence val) {
    static final String TRAIN = "train";
    static final String VAL = "val";

    /** The tokens folder of a prepared dataset folder. */
    public static Path tokensDir(Path datasetDir) {
        return datasetDir.resolve(DatasetManifest.FOLDER);
    }

    /** The copy of the tokenizer that made the shards, which a run on the dataset trains with. */
    public static Path tokenizerOf(Path datasetDir) {
        return tokensDir(datasetDir).resolve(DatasetManifest.TOKENIZER);
    }

    /**
     * Opens the dataset in {@code datasetDir} for a run whose tokenizer is {@code runTokenizerJson}.
     *
     * @throws UserError if it is not a prepared dataset, was made by another tokenizer, lacks a train or val
     *     split, or a shard is missing or damaged
     */
    public static PreparedDataset open(Path datasetDir, Path runTokenizerJson) throws IOException {
        if (!Files.isDirectory(datasetDir)) {
            throw new UserError("--dataset " + datasetDir + " is not a folder: give the --out folder of `scratchgpt"
                    + " data prepare`");
        }
        Path tokensDir = tokensDir(datasetDir);
        DatasetManifest manifest = DatasetManifest.read(tokensDir);
        String runTokenizer = Sha256.of(runTokenizerJson);
        if (!runTokenizer.equals(manifest.tokenizerSha256())) {
            throw new UserError("the dataset " + datasetDir + " was tokenized with another tokenizer (SHA-256 "
                    + manifest.tokenizerSha256().substring(0, 12) + "..., this run's is " + runTokenizer.substring(0, 12)
                    + "...): leave out --tokenizer to train with the dataset's own, " + tokenizerOf(datasetDir)
                    + ", or prepare the dataset again with this tokenizer");
        }
        String fingerprint = DatasetManifest.fingerprint(tokensDir);
        return new PreparedDataset(datasetDir, fingerprint, split(datasetDir, manifest, TRAIN),
                split(datasetDir, manifest, VAL));
    }

    private static ShardedTokens split(Path datasetDir, DatasetManifest manifest, String name) throws IOException {
        DatasetManifest.Split split = manifest.splits().get(name);
        if (split == null || split.tokens() == 0) {
            throw new UserError("the dataset " + datasetDir + " has no " + name + " tokens (its splits: "
                    + manifest.tokensPerSplit() + "): training needs a train and a val split; prepare it again with"
                    + " `scratchgpt data prepare ... --out " + datasetDir + " --force` and a --val-fraction above 0"
                    + " (with two documents or more, it puts one in each), or train on a single text with"
                    + " `scratchgpt train --corpus FILE`, which keeps its last 10% for val");
        }
        List<TokenFile> shards = new ArrayList<>();
        for (DatasetManifest.Shard shard : split.shards()) {
            TokenFile file = TokenFile.open(tokensDir(datasetDir).resolve(shard.file()));
            if (file.size() != shard.tokens() || file.vocabSize() != manifest.vocabSize()) {
                throw new UserError(file.describe() + " holds " + file.size() + " tokens of a " + file.vocabSize()
                        + "-token vocabulary, but the manifest says " + shard.tokens() + " of " + manifest.vocabSize()
                        + ": the dataset is damaged; run `scratchgpt data prepare` again");
            }
            shards.add(file);
        }
        return new ShardedTokens("the " + name + " split of " + datasetDir, shards);
    }
}
