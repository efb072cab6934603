package org.scratchgpt.cli;

/**
 * Where the commands look for their files when not told otherwise, relative to the working folder,
 * so that {@code data fetch}, {@code tokenizer train} and the rest find each other's output.
 */
final class DefaultPaths {
    private DefaultPaths() {}

    /** tiny-shakespeare, where {@code scratchgpt data fetch tinyshakespeare} saves it. */
    static final String CORPUS = "datasets/tinyshakespeare/input.txt";

    /** Where {@code tokenizer train} saves a tokenizer and the other tokenizer commands read it. */
    static final String TOKENIZER = "models/tokenizer.json";
}
