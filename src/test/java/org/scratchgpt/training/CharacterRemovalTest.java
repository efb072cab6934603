package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command {@link UnencodableText} advises runs here and removes exactly the characters the vocabulary lacks:
 * with tr for an ASCII vocabulary, with Perl (by code point) for one that holds other characters, which tr would
 * cut byte by byte. (The tr case through the real command line: cli/FinetuneCommandTest.)
 */
class CharacterRemovalTest {
    @TempDir Path dir;

    @Test
    void aVocabularyBeyondAsciiIsKeptWholeAndOnlyTheMissingCharactersGo() throws Exception {
        Set<Integer> vocabulary = vocabulary("déjà vu, à la carte\n");
        String text = "déjà vu (1984) — à la carte\t\\ [x] 'ç'\n".repeat(3);
        assertEquals("déjà vu   à la carte  \n".repeat(3), cleaned(vocabulary, text));
    }

    @Test
    void anAsciiVocabularyKeepsItsOwnCharactersEvenQuotesBracketsAndDashes() throws Exception {
        String vocabularyText = "to-be [or] not\\ 'tis: a-z 0-9\n";
        String text = "to-be [or] not\\ 'tis: a-z 0-9 (é) — ~ \t 1984\n";
        assertEquals("to-be [or] not\\ 'tis: a-z 0-9     9\n", cleaned(vocabulary(vocabularyText), text));
    }

    @Test
    void theCleanedFileLiesBesideTheCorpus() {
        assertEquals(Path.of("data", "poems-chars.txt").toString(), CharacterRemoval.cleanedName(Path.of("data/poems.txt")));
        assertEquals("songs-poems-chars.txt", CharacterRemoval.cleanedName(Path.of("songs-poems")));
    }

    /** Writes {@code text} to a file, runs the advised command on it in bash, returns what it wrote. */
    private String cleaned(Set<Integer> vocabulary, String text) throws Exception {
        Path corpus = Files.writeString(dir.resolve("it's a corpus.txt"), text, StandardCharsets.UTF_8);
        Set<Integer> missing = text.codePoints().filter(cp -> !vocabulary.contains(cp)).boxed()
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String command = CharacterRemoval.command(corpus, vocabulary, missing).orElseThrow();
        Process shell = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, shell.waitFor(), command + ": " + output);
        Path result = Path.of(CharacterRemoval.cleanedName(corpus));
        assertTrue(Files.exists(result), command);
        return Files.readString(result, StandardCharsets.UTF_8);
    }

    private static Set<Integer> vocabulary(String text) {
        return text.codePoints().boxed().collect(Collectors.toSet());
    }
}
