package org.scratchgpt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only reference data (tiny-shakespeare, GPT-2's tokenizer.json) that some tests
 * compare against. The one setting is the environment variable {@code SCRATCHGPT_SHARED}; without it
 * the folder {@code ../shared} beside the repository is used. CI always provides it.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String fromEnv = System.getenv("SCRATCHGPT_SHARED");
        return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "../shared").toAbsolutePath().normalize();
    }

    /** The shared file at {@code relative}, or the test is skipped with a message saying how to provide it. */
    public static Path require(String relative) {
        Path file = root().resolve(relative);
        assumeTrue(Files.isRegularFile(file),
                "reference file " + file + " not found: set SCRATCHGPT_SHARED to the folder holding " + relative);
        return file;
    }

    public static Path tinyShakespeare() {
        return require("datasets/tinyshakespeare/input.txt");
    }

    public static Path gpt2Tokenizer() {
        return require("tokenizers/gpt2/tokenizer.json");
    }
}
