package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scratchgpt.data.KnownCorpus;

class DefaultPathsTest {
    /** The tokenizer commands must look where {@code scratchgpt data fetch tinyshakespeare} puts the corpus. */
    @Test
    void defaultCorpusIsWhereDataFetchSavesTinyShakespeare() {
        Path fetchedTo = Path.of("datasets").resolve(KnownCorpus.TINY_SHAKESPEARE.relativePath());

        assertEquals(fetchedTo, Path.of(DefaultPaths.CORPUS));
    }
}
