package org.scratchgpt.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import picocli.CommandLine.Option;

/** The {@code --tokenizer FILE} option of every command that uses a saved tokenizer. */
final class TokenizerFileOption {
    @Option(names = "--tokenizer", paramLabel = "FILE", defaultValue = DefaultPaths.TOKENIZER,
            description = "The tokenizer.json to use (default: ${DEFAULT-VALUE}).")
    Path file;

    Tokenizer load() throws IOException {
        return TokenizerJson.load(file);
    }
}
