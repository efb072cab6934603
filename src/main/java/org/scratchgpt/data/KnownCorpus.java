package org.scratchgpt.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;

/** The corpora ScratchGPT knows how to download, looked up by their command-line name. */
public final class KnownCorpus {
    private KnownCorpus() {}

    /** Karpathy's tiny-shakespeare: about 1 MB of plays, the classic first corpus for a character-level GPT. */
    public static final Corpus TINY_SHAKESPEARE = new Corpus(
            "tinyshakespeare",
            URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
            1_115_394,
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            Path.of("tinyshakespeare", "input.txt"));

    private static final List<Corpus> ALL = List.of(TINY_SHAKESPEARE);

    /** Every known corpus, in a stable order. */
    public static List<Corpus> all() {
        return ALL;
    }

    /** The corpus called {@code name}; an unknown name is a {@link UserError} that lists the known ones. */
    public static Corpus named(String name) {
        return ALL.stream()
                .filter(corpus -> corpus.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new UserError("unknown corpus '" + name + "': use one of " + knownNames()
                        + " (see `scratchgpt data list`)"));
    }

    private static String knownNames() {
        return ALL.stream().map(Corpus::name).collect(Collectors.joining(", "));
    }
}
