package org.scratchgpt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

class CorpusDownloaderTest {
    /** Larger than one copy buffer, so the download really streams in several pieces. */
    private static final byte[] CONTENT = generatedText(300_000);

    @TempDir Path datasetsDir;
    @TempDir Path elsewhere;

    private LoopbackHttpServer server;
    private CorpusDownloader downloader;

    @BeforeEach
    void startServer() throws IOException {
        server = new LoopbackHttpServer().serve("/corpus.txt", CONTENT).redirect("/moved.txt", "/corpus.txt")
                .serveHalfOf("/dropped.txt", CONTENT);
        downloader = new CorpusDownloader(datasetsDir, false);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void downloadsAndVerifiesTheChecksum() throws IOException {
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);

        CorpusDownloader.Fetched fetched = downloader.fetch(corpus, false);

        assertFalse(fetched.wasAlreadyPresent());
        assertEquals(corpus.locationIn(datasetsDir), fetched.file());
        assertArrayEquals(CONTENT, Files.readAllBytes(fetched.file()));
        assertEquals(List.of(fetched.file()), filesUnder(datasetsDir), "no temporary file may be left");
    }

    @Test
    void followsRedirects() throws IOException {
        Corpus corpus = corpusAt(server.url("/moved.txt"), CONTENT);

        assertArrayEquals(CONTENT, Files.readAllBytes(downloader.fetch(corpus, false).file()));
    }

    @Test
    void checksumMismatchSavesNothing() {
        byte[] expected = "the file the corpus description promises".getBytes(StandardCharsets.UTF_8);
        Corpus corpus = corpusAt(server.url("/corpus.txt"), expected);

        UserError error = assertThrows(UserError.class, () -> downloader.fetch(corpus, false));

        assertTrue(error.getMessage().contains("checksum mismatch"), error.getMessage());
        assertTrue(error.getMessage().contains(sha256(expected)), "names the expected checksum");
        assertTrue(error.getMessage().contains(sha256(CONTENT)), "names the actual checksum");
        assertTrue(error.getMessage().contains(server.url("/corpus.txt").toString()), "names the source");
        assertEquals(List.of(), filesUnder(datasetsDir), "neither the file nor a temporary file may be left");
    }

    @Test
    void http404NamesTheUrlAndTheStatus() {
        URI missing = server.url("/missing.txt");
        Corpus corpus = corpusAt(missing, CONTENT);

        UserError error = assertThrows(UserError.class, () -> downloader.fetch(corpus, false));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("HTTP 404"), error.getMessage());
        assertEquals(List.of(), filesUnder(datasetsDir));
    }

    @Test
    void aDroppedConnectionSavesNothing() {
        Corpus corpus = corpusAt(server.url("/dropped.txt"), CONTENT);

        UserError error = assertThrows(UserError.class, () -> downloader.fetch(corpus, false));

        assertTrue(error.getMessage().contains("broke off"), error.getMessage());
        assertTrue(error.getMessage().contains("--from"), error.getMessage());
        assertEquals(List.of(), filesUnder(datasetsDir), "no partial file may be left");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aServerThatStopsSendingIsGivenUpAndSavesNothing() throws IOException {
        server.stallHalfwayThrough("/stalled.txt", CONTENT, java.time.Duration.ofSeconds(3));
        CorpusDownloader impatient = new CorpusDownloader(datasetsDir, false, java.time.Duration.ofMillis(500));
        Corpus corpus = corpusAt(server.url("/stalled.txt"), CONTENT);

        long start = System.nanoTime();
        UserError error = assertThrows(UserError.class, () -> impatient.fetch(corpus, false));

        assertTrue(error.getMessage().contains("sent nothing"), error.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 2.5, "given up before the server let go (after 3 s)");
        assertEquals(List.of(), filesUnder(datasetsDir), "no partial file may be left");
    }

    @Test
    void connectionRefusedSaysWhereToPutTheFileByHand() throws IOException {
        URI refused = URI.create("http://127.0.0.1:" + closedLoopbackPort() + "/corpus.txt");
        Corpus corpus = corpusAt(refused, CONTENT);

        UserError error = assertThrows(UserError.class, () -> downloader.fetch(corpus, false));

        String message = error.getMessage();
        assertTrue(message.contains(corpus.locationIn(datasetsDir).toString()), "names the target: " + message);
        assertTrue(message.contains(corpus.url().toString()), "names the public URL: " + message);
        assertTrue(message.contains("--from"), "offers --from: " + message);
        assertEquals(List.of(), filesUnder(datasetsDir));
    }

    @Test
    void fetchesFromALocalFile() throws IOException {
        Path copy = Files.write(elsewhere.resolve("copy.txt"), CONTENT);
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);

        CorpusDownloader.Fetched fetched = downloader.fetch(corpus, copy.toUri(), false);

        assertArrayEquals(CONTENT, Files.readAllBytes(fetched.file()));
        assertEquals(0, server.hits(), "a local copy needs no network");
    }

    @Test
    void refusesALocalFileWithTheWrongChecksum() throws IOException {
        Path wrong = Files.writeString(elsewhere.resolve("wrong.txt"), "not the corpus");
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);

        UserError error = assertThrows(UserError.class, () -> downloader.fetch(corpus, wrong.toUri(), false));

        assertTrue(error.getMessage().contains("checksum mismatch"), error.getMessage());
        assertTrue(error.getMessage().contains(wrong.toString()), "names the file: " + error.getMessage());
        assertEquals(List.of(), filesUnder(datasetsDir));
    }

    @Test
    void missingLocalFileIsNamed() {
        Path missing = elsewhere.resolve("missing.txt");
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);

        UserError error = assertThrows(UserError.class, () -> downloader.fetch(corpus, missing.toUri(), false));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("--from"), error.getMessage());
    }

    @Test
    void aGoodFileAlreadyThereIsNotDownloadedAgain() throws IOException {
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);
        downloader.fetch(corpus, false);

        CorpusDownloader.Fetched again = downloader.fetch(corpus, false);

        assertTrue(again.wasAlreadyPresent());
        assertEquals(1, server.hits());
    }

    @Test
    void forceDownloadsAgain() throws IOException {
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);
        downloader.fetch(corpus, false);

        CorpusDownloader.Fetched again = downloader.fetch(corpus, true);

        assertFalse(again.wasAlreadyPresent());
        assertEquals(2, server.hits());
    }

    @Test
    void aWrongFileAlreadyThereIsReplaced() throws IOException {
        Corpus corpus = corpusAt(server.url("/corpus.txt"), CONTENT);
        Path target = corpus.locationIn(datasetsDir);
        Files.createDirectories(target.getParent());
        Files.writeString(target, "half a download");

        CorpusDownloader.Fetched fetched = downloader.fetch(corpus, false);

        assertFalse(fetched.wasAlreadyPresent());
        assertArrayEquals(CONTENT, Files.readAllBytes(target));
        assertEquals(1, server.hits());
    }

    private static Corpus corpusAt(URI url, byte[] expectedContent) {
        return new Corpus("tiny-test", url, expectedContent.length, sha256(expectedContent),
                Path.of("tiny-test", "input.txt"));
    }

    /** Every regular file below {@code dir}, temporary ones included. */
    private static List<Path> filesUnder(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A loopback port nobody listens on, so that connecting to it is refused at once. */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static byte[] generatedText(int length) {
        Random random = new Random(42);
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        return text;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
