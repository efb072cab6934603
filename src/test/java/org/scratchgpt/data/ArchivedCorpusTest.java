package org.scratchgpt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Sha256;

/** A corpus published inside a zip archive, as enwik8 is: the archive is verified, then its text taken out. */
class ArchivedCorpusTest {
    private static final byte[] TEXT = "<page><title>Anarchism</title> ... </page>\n".repeat(5_000)
            .getBytes(StandardCharsets.UTF_8);

    @TempDir Path datasetsDir;
    private LoopbackHttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void downloadsVerifiesAndExtractsTheTextThenReusesIt() throws IOException {
        byte[] zip = zipOf("enwik8", TEXT);
        server = new LoopbackHttpServer().serve("/enwik8.zip", zip);
        Corpus corpus = archived(zip, TEXT.length);
        CorpusDownloader downloader = new CorpusDownloader(datasetsDir, false);

        CorpusDownloader.Fetched first = downloader.fetch(corpus, false);
        CorpusDownloader.Fetched second = downloader.fetch(corpus, false);

        assertEquals(datasetsDir.resolve("enwik8/enwik8").toAbsolutePath(), first.file());
        assertArrayEquals(TEXT, Files.readAllBytes(first.file()));
        assertFalse(first.wasAlreadyPresent());
        assertTrue(second.wasAlreadyPresent());
        assertEquals(1, server.hits(), "the second fetch neither downloads nor extracts");
        assertEquals(List.of("enwik8", "enwik8.zip"), namesIn(datasetsDir.resolve("enwik8")), "no temporary file");
    }

    @Test
    void aMissingTextIsExtractedAgainFromTheVerifiedArchiveWithoutDownloading() throws IOException {
        byte[] zip = zipOf("enwik8", TEXT);
        server = new LoopbackHttpServer().serve("/enwik8.zip", zip);
        Corpus corpus = archived(zip, TEXT.length);
        CorpusDownloader downloader = new CorpusDownloader(datasetsDir, false);
        Path text = downloader.fetch(corpus, false).file();
        Files.delete(text);

        downloader.fetch(corpus, false);

        assertArrayEquals(TEXT, Files.readAllBytes(text));
        assertEquals(1, server.hits());
    }

    @Test
    void anEntryOfTheWrongSizeIsRefusedAndNotSaved() throws IOException {
        byte[] zip = zipOf("enwik8", TEXT);
        server = new LoopbackHttpServer().serve("/enwik8.zip", zip);
        Corpus corpus = archived(zip, TEXT.length + 1);

        UserError error = assertThrows(UserError.class,
                () -> new CorpusDownloader(datasetsDir, false).fetch(corpus, false));

        assertTrue(error.getMessage().contains("has " + TEXT.length + " bytes, not " + (TEXT.length + 1)),
                error.getMessage());
        assertEquals(List.of("enwik8.zip"), namesIn(datasetsDir.resolve("enwik8")));
    }

    @Test
    void anArchiveWithoutTheEntryIsRefused() throws IOException {
        byte[] zip = zipOf("something-else", TEXT);
        server = new LoopbackHttpServer().serve("/enwik8.zip", zip);

        UserError error = assertThrows(UserError.class,
                () -> new CorpusDownloader(datasetsDir, false).fetch(archived(zip, TEXT.length), false));

        assertTrue(error.getMessage().contains("has no file enwik8"), error.getMessage());
    }

    private Corpus archived(byte[] zip, long textBytes) {
        return new Corpus("enwik8-test", server.url("/enwik8.zip"), zip.length, Sha256.of(zip),
                Path.of("enwik8", "enwik8.zip"), new Corpus.Unpack("enwik8", Path.of("enwik8", "enwik8"), textBytes));
    }

    private static byte[] zipOf(String entry, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
