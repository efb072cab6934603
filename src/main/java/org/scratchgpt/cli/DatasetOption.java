package org.scratchgpt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchgpt.UserError;
import org.scratchgpt.tokens.PreparedDataset;

/**
 * {@code train --dataset DIR}: a run on a prepared dataset trains with the tokenizer that made its shards. Its copy
 * in {@code DIR/tokens/tokenizer.json} is the default; a {@code --tokenizer FILE} given as well must be the same
 * file (the run checks its SHA-256 against the dataset's). A character-level tokenizer cannot have made shards,
 * which need an end-of-text token, and {@code --corpus} would name a second source of text.
 */
final class DatasetOption {
    private DatasetOption() {}

    /** The tokenizer a run on {@code dataset} uses; {@code given} is the --tokenizer option, or null. */
    static String tokenizer(Path dataset, String given, boolean corpusGiven) {
        if (corpusGiven) {
            throw new UserError("--corpus and --dataset both name what to train on: give one of them (--dataset DIR"
                    + " trains on the token shards of `scratchgpt data prepare --out DIR`)");
        }
        if ("char".equals(given)) {
            throw new UserError("--tokenizer char cannot train on --dataset " + dataset + ": its shards were made by "
                    + PreparedDataset.tokenizerOf(dataset) + "; leave out --tokenizer to use it");
        }
        if (given != null) {
            return given; // checked against the dataset's tokenizer by SHA-256 when the run opens it
        }
        Path own = PreparedDataset.tokenizerOf(dataset);
        if (!Files.isRegularFile(own)) {
            throw new UserError("--dataset " + dataset + " has no token shards (no " + own + "): make them with"
                    + " `scratchgpt data prepare --input ... --out " + dataset + " --tokenizer FILE`");
        }
        return own.toString();
    }
}
