package org.scratchgpt.checkpoint;

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
 * from. Instruction tuning's conversation files are recognised the same way ({@link ConversationFiles}).
 */
public final class RunCorpus {
    private RunCorpus() {}

    public static Path toResume(RunState state, Optional<Path> given) throws IOException {
        return recognised("--corpus", "text", state.corpus(), state.corpusSha256(), given);
    }

    /**
     * The file a resumed run reads: {@code given} (passed with {@code option}) or else the recorded path, either way
     * one whose SHA-256 is {@code expected} (not checked when empty: an older checkpoint recorded none).
     * {@code what} names its content in messages.
     */
    public static Path recognised(String option, String what, String recorded, String expected, Optional<Path> given)
            throws IOException {
        if (given.isPresent()) {
            Path file = given.get();
            if (!Files.isRegularFile(file)) {
                throw new UserError(option + " " + file + " is not a file: give the " + what + " this run trained on");
            }
            if (!expected.isEmpty() && !Sha256.of(file).equals(expected)) {
                throw new UserError(option + " " + file + " is not the " + what + " this run trained on (its SHA-256 is"
                        + " not " + shortened(expected) + "...): resume with that " + what + ", or train a new run on"
                        + " this one");
            }
            return file;
        }
        Path hint = Path.of(recorded);
        if (!Files.isRegularFile(hint)) {
            throw new UserError("the " + what + " this run trained on is no longer at " + hint + ": pass " + option
                    + " FILE with the same " + what + " (it is recognised by its SHA-256, " + (expected.isEmpty()
                    ? "not recorded by this older checkpoint" : shortened(expected) + "...") + ")");
        }
        if (!expected.isEmpty() && !Sha256.of(hint).equals(expected)) {
            throw new UserError(hint + " has changed since this run trained on it (its SHA-256 is no longer "
                    + shortened(expected) + "...): pass " + option + " FILE with the " + what + " the run trained on");
        }
        return hint;
    }

    private static String shortened(String sha256) {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }
}
