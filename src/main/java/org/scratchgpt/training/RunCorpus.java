package org.scratchgpt.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Sha256;

/**
 * Which text a resumed run continues on. A checkpoint knows its corpus by SHA-256, and by path only as a hint of
 * where it was: a moved repository, or the same text at another path ({@code --corpus}), resumes; a different
 * text does not, because the data sampler's state and the token files mean something only for the text they came
 * from.
 */
final class RunCorpus {
    private RunCorpus() {}

    static Path toResume(Checkpoint.RunState state, Optional<Path> given) throws IOException {
        String expected = state.corpusSha256();
        if (given.isPresent()) {
            Path corpus = given.get();
            if (!Files.isRegularFile(corpus)) {
                throw new UserError("--corpus " + corpus + " is not a file: give the text this run trained on");
            }
            if (!expected.isEmpty() && !Sha256.of(corpus).equals(expected)) {
                throw new UserError("--corpus " + corpus + " is not the text this run trained on (its SHA-256 is not "
                        + shortened(expected) + "...): resume with that text, or train a new run on this one");
            }
            return corpus;
        }
        Path hint = Path.of(state.corpus());
        if (!Files.isRegularFile(hint)) {
            throw new UserError("the corpus this run trained on is no longer at " + hint + ": pass --corpus FILE with"
                    + " the same text (it is recognised by its SHA-256, " + (expected.isEmpty() ? "not recorded by this"
                    + " older checkpoint" : shortened(expected) + "...") + ")");
        }
        if (!expected.isEmpty() && !Sha256.of(hint).equals(expected)) {
            throw new UserError(hint + " has changed since this run trained on it (its SHA-256 is no longer "
                    + shortened(expected) + "...): pass --corpus FILE with the text the run trained on");
        }
        return hint;
    }

    private static String shortened(String sha256) {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }
}
