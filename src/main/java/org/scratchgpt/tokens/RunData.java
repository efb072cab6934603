package org.scratchgpt.tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.RunCorpus;
import org.scratchgpt.checkpoint.RunState;
import org.scratchgpt.io.Sha256;

/**
 * The tokens a run trains and evaluates on, and how its checkpoints name where they came from. Either a corpus,
 * one text file that {@link TokenSplit} encodes and splits 90/10 ({@code train --corpus}), known by the file's
 * SHA-256; or a prepared dataset, whose train and val shards {@code data prepare} already wrote
 * ({@code train --dataset}, {@link PreparedDataset}), known by its fingerprint. Training itself does not care
 * which: it cuts windows from two {@link TokenSequence}s.
 */
public record RunData(TokenSequence train, TokenSequence val, String corpus, String corpusSha256, String dataset,
        String datasetSha256) {

    /**
     * The tokens of {@code corpus} or of {@code dataset} (exactly one of them is given), for a run whose tokenizer
     * is {@code tokenizerJson}; a corpus is encoded into {@code dataDir} (or its earlier encoding reused).
     */
    public static RunData prepare(Path corpus, Path dataset, Path tokenizerJson, Path dataDir, int contextLength)
            throws IOException {
        if (dataset != null) {
            PreparedDataset prepared = PreparedDataset.open(dataset, tokenizerJson);
            return new RunData(prepared.train(), prepared.val(), "", "", dataset.toString(), prepared.fingerprint());
        }
        TokenSplit split = TokenSplit.prepare(corpus, tokenizerJson, dataDir, contextLength);
        // The SHA-256 is how a resumed run recognises its text, wherever it is then.
        return new RunData(split.train(), split.val(), corpus.toString(), Sha256.of(corpus), "", "");
    }

    /**
     * A run whose text is read by other means (instruction tuning's conversations): its file is only recorded, by
     * path and SHA-256, so its checkpoints name it as they name a corpus.
     */
    public static RunData recordedOnly(Path file) throws IOException {
        return new RunData(null, null, file.toString(), Sha256.of(file), "", "");
    }

    /** Where a resumed run's text is now: a corpus file or a dataset folder, the other null. */
    public record Sources(Path corpus, Path dataset) {}

    /**
     * The corpus or dataset a resumed run continues on: the one {@code state} names (or the one given, which must
     * be the same, by SHA-256 or fingerprint). A run cannot switch from a corpus to a dataset or back.
     */
    public static Sources toResume(RunState state, Optional<Path> givenCorpus, Optional<Path> givenDataset)
            throws IOException {
        if (!state.onDataset()) {
            if (givenDataset.isPresent()) {
                throw new UserError("--dataset cannot change a resumed run: it trained on the corpus "
                        + state.corpus() + "; leave out --dataset, or start a new run on the dataset");
            }
            return new Sources(RunCorpus.toResume(state, givenCorpus), null);
        }
        if (givenCorpus.isPresent()) {
            throw new UserError("--corpus cannot change a resumed run: it trained on the prepared dataset "
                    + state.dataset() + "; leave out --corpus (give --dataset DIR if the dataset has moved)");
        }
        Path dataset = givenDataset.orElse(Path.of(state.dataset()));
        Path manifest = PreparedDataset.tokensDir(dataset).resolve(DatasetManifest.FILE);
        if (!Files.isRegularFile(manifest)) {
            throw new UserError("the dataset this run trained on is not at " + dataset + " (no " + manifest + "):"
                    + " pass --dataset DIR with the same prepared dataset");
        }
        if (!DatasetManifest.fingerprint(PreparedDataset.tokensDir(dataset)).equals(state.datasetSha256())) {
            throw new UserError("the dataset at " + dataset + " is not the one this run trained on (its token shards"
                    + " have changed since, e.g. it was prepared again): resume with the dataset the run trained on,"
                    + " or train a new run on this one");
        }
        return new Sources(null, dataset);
    }
}
