package org.scratchgpt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class KnownCorpusTest {
    @Test
    void findsTinyShakespeareByName() {
        Corpus corpus = KnownCorpus.named("tinyshakespeare");

        assertSame(KnownCorpus.TINY_SHAKESPEARE, corpus);
        assertEquals(1_115_394, corpus.sizeBytes());
        assertEquals(Path.of("/data/tinyshakespeare/input.txt"), corpus.locationIn(Path.of("/data")));
    }

    @Test
    void knowsEnwik8AsAZipWhoseTextIsTakenOut() {
        Corpus corpus = KnownCorpus.named("enwik8");

        assertEquals(36_445_475, corpus.sizeBytes());
        assertEquals(Path.of("/data/enwik8/enwik8.zip"), corpus.locationIn(Path.of("/data")));
        assertEquals(Path.of("/data/enwik8/enwik8"), corpus.textIn(Path.of("/data")));
        assertEquals(100_000_000, corpus.unpack().sizeBytes());
    }

    @Test
    void knowsTheTinyStoriesValidationFileAtAPinnedRevision() {
        Corpus corpus = KnownCorpus.named("tinystories-valid");

        assertEquals(19_447_282, corpus.sizeBytes());
        assertTrue(corpus.url().toString().contains("/resolve/f54c09fd23315a6f9c86f9dc80f725de7d8f9c64/"));
        assertEquals(corpus.locationIn(Path.of("/data")), corpus.textIn(Path.of("/data")));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        UserError error = assertThrows(UserError.class, () -> KnownCorpus.named("shakespeare"));

        assertTrue(error.getMessage().contains("'shakespeare'"), error.getMessage());
        assertTrue(error.getMessage().contains("tinyshakespeare"), error.getMessage());
    }

    @Test
    void aCorpusCannotPointOutsideTheDatasetsFolder() {
        URI url = URI.create("http://127.0.0.1/x");
        String sha = "0".repeat(64);

        assertThrows(IllegalArgumentException.class, () -> new Corpus("x", url, 1, sha, Path.of("..", "x")));
        assertThrows(IllegalArgumentException.class, () -> new Corpus("x", url, 1, sha, Path.of("/etc/x")));
        assertThrows(IllegalArgumentException.class, () -> new Corpus("x", url, 1, "ABC", Path.of("x")));
    }
}
