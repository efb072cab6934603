package org.scratchgpt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

class CorpusTextTest {
    @TempDir Path dir;

    @Test
    void readsUtf8Text() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.txt"), "Thou art ✓ naïve 🙂\n", StandardCharsets.UTF_8);

        assertEquals("Thou art ✓ naïve 🙂\n", CorpusText.readUtf8(file));
    }

    @Test
    void readsBytes() throws IOException {
        byte[] bytes = {'a', (byte) 0xFF, 'b'};
        Path file = Files.write(dir.resolve("bytes.bin"), bytes);

        assertArrayEquals(bytes, CorpusText.readBytes(file));
    }

    @Test
    void missingFileSaysHowToFetchIt() {
        Path missing = dir.resolve("input.txt");

        for (ThrowingRead read : new ThrowingRead[] {CorpusText::readUtf8, CorpusText::readBytes}) {
            UserError error = assertThrows(UserError.class, () -> read.apply(missing));
            assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
            assertTrue(error.getMessage().contains("./scratchgpt data fetch tinyshakespeare"), error.getMessage());
        }
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.txt"));

        for (ThrowingRead read : new ThrowingRead[] {CorpusText::readUtf8, CorpusText::readBytes}) {
            UserError error = assertThrows(UserError.class, () -> read.apply(empty));
            assertTrue(error.getMessage().contains("is empty"), error.getMessage());
        }
    }

    @Test
    void folderIsAnError() {
        UserError error = assertThrows(UserError.class, () -> CorpusText.readUtf8(dir));

        assertTrue(error.getMessage().contains("is a folder"), error.getMessage());
    }

    @Test
    void invalidUtf8GivesTheOffsetOfTheFirstBadByte() throws IOException {
        // "héllo" is 6 bytes in UTF-8; 0xFF can never appear in UTF-8.
        byte[] bytes = concat("héllo".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, 'x'});
        Path file = Files.write(dir.resolve("latin.txt"), bytes);

        UserError error = assertThrows(UserError.class, () -> CorpusText.readUtf8(file));

        assertTrue(error.getMessage().contains("not valid UTF-8"), error.getMessage());
        assertTrue(error.getMessage().contains("offset 6 (0xFF)"), error.getMessage());
    }

    @Test
    void truncatedCharacterAtTheEndIsInvalid() throws IOException {
        // The first two of the three bytes of '✓' (E2 9C 93).
        Path file = Files.write(dir.resolve("cut.txt"), new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x9C});

        UserError error = assertThrows(UserError.class, () -> CorpusText.readUtf8(file));

        assertTrue(error.getMessage().contains("offset 2 (0xE2)"), error.getMessage());
    }

    @Test
    void decodingBytesFromElsewhereNamesTheirSource() {
        byte[] bytes = {'h', 'i', (byte) 0xC0};

        UserError error = assertThrows(UserError.class, () -> CorpusText.decodeUtf8(bytes, "standard input"));

        assertTrue(error.getMessage().startsWith("standard input is not valid UTF-8"), error.getMessage());
        assertTrue(error.getMessage().contains("offset 2 (0xC0)"), error.getMessage());
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** readUtf8 and readBytes, so that both can be checked by one loop. */
    @FunctionalInterface
    private interface ThrowingRead {
        Object apply(Path file) throws IOException;
    }
}
