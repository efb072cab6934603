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

    /**
     * enwik8: the first 10^8 bytes of an English Wikipedia XML dump of 2006, the Hutter Prize text and the standard
     * bits-per-byte benchmark of character-level models. Published as a zip; fetch verifies the archive (size and
     * SHA-256 as HuggingFace datasets' {@code enwik8/dataset_infos.json} records them for this URL) and takes
     * {@code enwik8} (100,000,000 bytes) out of it.
     */
    public static final Corpus ENWIK8 = new Corpus(
            "enwik8",
            URI.create("http://mattmahoney.net/dc/enwik8.zip"),
            36_445_475,
            "547994d9980ebed1288380d652999f38a14fe291a6247c157c3d33d4932534bc",
            Path.of("enwik8", "enwik8.zip"),
            new Corpus.Unpack("enwik8", Path.of("enwik8", "enwik8"), 100_000_000));

    /**
     * TinyStories' validation file (Eldan and Li, 2023): about 22,000 short stories in simple English, separated by
     * {@code <|endoftext|>} lines, small enough to train a small model that writes coherent text. Pinned to a
     * revision of the HuggingFace dataset, so the bytes cannot change under the checksum.
     */
    public static final Corpus TINY_STORIES_VALID = new Corpus(
            "tinystories-valid",
            URI.create("https://huggingface.co/datasets/roneneldan/TinyStories/resolve/"
                    + "f54c09fd23315a6f9c86f9dc80f725de7d8f9c64/TinyStories-valid.txt"),
            19_447_282,
            "94e431816c4cce81ff71e4408ff8d3bda9a42e8d2663986697c3954288cb38b4",
            Path.of("tinystories", "TinyStories-valid.txt"));

    private static final List<Corpus> ALL = List.of(TINY_SHAKESPEARE, ENWIK8, TINY_STORIES_VALID);

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
