package org.scratchgpt.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

public class TokenFileTest {
    @TempDir Path dir;

    @Test
    void smallVocabularyRoundTripsAsUint16() throws IOException {
        int[] ids = randomIds(1000, 65, 1);
        Path file = dir.resolve("train.bin");

        TokenFile written = TokenFile.write(file, ids, 65);
        TokenFile opened = TokenFile.open(file);

        assertEquals(2, opened.bytesPerToken());
        assertEquals(TokenFile.HEADER_BYTES + 2L * ids.length, Files.size(file));
        assertEquals(1000, opened.size());
        assertEquals(65, opened.vocabSize());
        assertArrayEquals(ids, opened.read(0, ids.length));
        assertArrayEquals(ids, written.read(0, ids.length));
    }

    @Test
    void idsAbove32767AreReadBackUnsigned() throws IOException {
        // The largest uint16 vocabulary: 65535 would come back as -1 if the short were read signed.
        int[] ids = {0, 32767, 32768, 50256, 65535};

        TokenFile file = TokenFile.write(dir.resolve("gpt2.bin"), ids, 65536);

        assertEquals(2, file.bytesPerToken());
        assertArrayEquals(ids, file.read(0, ids.length));
    }

    @Test
    void largeVocabularyRoundTripsAsInt32() throws IOException {
        int[] ids = randomIds(1000, 100_000, 2);
        ids[0] = 65536; // the first id that does not fit in 16 bits
        ids[1] = 99_999;
        Path file = dir.resolve("big-vocab.bin");

        TokenFile.write(file, ids, 100_000);
        TokenFile opened = TokenFile.open(file);

        assertEquals(4, opened.bytesPerToken());
        assertEquals(TokenFile.HEADER_BYTES + 4L * ids.length, Files.size(file));
        assertArrayEquals(ids, opened.read(0, ids.length));
    }

    @Test
    void headerHoldsTheDocumentedFields() throws IOException {
        Path file = dir.resolve("header.bin");
        TokenFile.write(file, new int[] {3, 1, 4}, 10);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals("SGPT-TOK", new String(Arrays.copyOf(bytes.array(), 8), StandardCharsets.US_ASCII));
        assertEquals(1, bytes.getInt(8));   // format version
        assertEquals(2, bytes.getInt(12));  // bytes per token
        assertEquals(3L, bytes.getLong(16)); // token count
        assertEquals(10, bytes.getInt(24)); // vocab size
        assertEquals(0, bytes.getInt(28));  // reserved
        assertEquals(3, bytes.getShort(32)); // first id, little-endian
    }

    @Test
    void manySmallChunksReadTheSameIdsAsOneBuffer() throws IOException {
        // The real chunk is 2^28 tokens; 7 forces 143 buffers, with a partly filled last one.
        for (int vocab : new int[] {65, 100_000}) {
            int[] ids = randomIds(1000, vocab, vocab);
            Path file = dir.resolve("chunks-" + vocab + ".bin");
            TokenFile.write(file, ids, vocab);

            TokenFile chunked = TokenFile.open(file, 7);

            assertEquals(143, chunked.chunkCount());
            assertEquals(1, TokenFile.open(file).chunkCount());
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], chunked.get(i), "id " + i + " with vocab " + vocab);
            }
        }
    }

    @Test
    void emptyFileOfTokensIsAllowed() throws IOException {
        TokenFile file = TokenFile.write(dir.resolve("empty.bin"), new int[0], 65);

        assertEquals(0, file.size());
        assertEquals(0, file.chunkCount());
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("train.bin");
        TokenFile.write(file, new int[] {1, 2, 3}, 10);

        TokenFile.write(file, new int[] {9, 8}, 10);

        assertArrayEquals(new int[] {9, 8}, TokenFile.open(file).read(0, 2));
        assertEquals(1, filesIn(dir));
    }

    @Test
    void idOutsideTheVocabularyIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = dir.resolve("train.bin");

        UserError tooLarge = assertThrows(UserError.class, () -> TokenFile.write(file, new int[] {1, 65, 2}, 65));
        UserError negative = assertThrows(UserError.class, () -> TokenFile.write(file, new int[] {-1}, 65));

        assertTrue(tooLarge.getMessage().contains("token id 65 at position 1"), tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().contains("ids 0..64"), tooLarge.getMessage());
        assertTrue(negative.getMessage().contains("token id -1"), negative.getMessage());
        assertEquals(0, filesIn(dir));
    }

    @Test
    void outOfRangeIndexIsAProgrammingError() throws IOException {
        TokenFile file = TokenFile.write(dir.resolve("t.bin"), new int[] {1, 2}, 10);

        assertThrows(IndexOutOfBoundsException.class, () -> file.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> file.get(-1));
    }

    @Test
    void missingFileSaysToEncodeTheCorpus() {
        Path missing = dir.resolve("train.bin");

        UserError error = assertThrows(UserError.class, () -> TokenFile.open(missing));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("not found"), error.getMessage());
    }

    @Test
    void folderIsAnError() {
        UserError error = assertThrows(UserError.class, () -> TokenFile.open(dir));

        assertTrue(error.getMessage().contains("is a folder"), error.getMessage());
    }

    @Test
    void otherFilesAreNotTokenFiles() throws IOException {
        Path text = Files.writeString(dir.resolve("input.txt"), "First Citizen:\nBefore we proceed any further");
        Path tiny = Files.write(dir.resolve("tiny.bin"), new byte[] {'S', 'G'});

        for (Path file : new Path[] {text, tiny}) {
            UserError error = assertThrows(UserError.class, () -> TokenFile.open(file));
            assertTrue(error.getMessage().contains("not a ScratchGPT token file"), error.getMessage());
        }
    }

    @Test
    void fileCutInsideTheHeaderIsTruncated() throws IOException {
        Path file = dir.resolve("train.bin");
        TokenFile.write(file, new int[] {1, 2, 3}, 10);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));

        UserError error = assertThrows(UserError.class, () -> TokenFile.open(file));

        assertTrue(error.getMessage().contains("is truncated"), error.getMessage());
    }

    @Test
    void truncatedFileNamesExpectedAndActualBytes() throws IOException {
        Path file = dir.resolve("train.bin");
        TokenFile.write(file, new int[] {1, 2, 3}, 10); // 32 + 3 * 2 = 38 bytes
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 37));

        UserError error = assertThrows(UserError.class, () -> TokenFile.open(file));

        assertTrue(error.getMessage().contains("is truncated"), error.getMessage());
        assertTrue(error.getMessage().contains("3 tokens of 2 bytes"), error.getMessage());
        assertTrue(error.getMessage().contains("so 38 bytes"), error.getMessage());
        assertTrue(error.getMessage().contains("the file has 37 bytes"), error.getMessage());
    }

    @Test
    void fileLongerThanItsHeaderSaysIsAnError() throws IOException {
        Path file = dir.resolve("train.bin");
        TokenFile.write(file, new int[] {1, 2, 3}, 10);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 40));

        UserError error = assertThrows(UserError.class, () -> TokenFile.open(file));

        assertTrue(error.getMessage().contains("is longer than its header says"), error.getMessage());
    }

    @Test
    void unknownVersionAndDamagedHeaderAreErrors() throws IOException {
        Path file = dir.resolve("train.bin");
        TokenFile.write(file, new int[] {1, 2, 3}, 10);
        byte[] good = Files.readAllBytes(file);

        Files.write(file, withInt(good, 8, 2));
        UserError version = assertThrows(UserError.class, () -> TokenFile.open(file));
        Files.write(file, withInt(good, 12, 4)); // 4 bytes per token for a 10-token vocabulary
        UserError width = assertThrows(UserError.class, () -> TokenFile.open(file));

        assertTrue(version.getMessage().contains("format version 2"), version.getMessage());
        assertTrue(width.getMessage().contains("damaged header"), width.getMessage());
    }

    private static byte[] withInt(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    public static int[] randomIds(int count, int vocabSize, long seed) {
        return new Random(seed).ints(count, 0, vocabSize).toArray();
    }

    private static long filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
