package org.scratchgpt.curation.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.curation.Verdict;

class DocumentReaderTest {
    @TempDir Path dir;

    private List<Verdict> readAll(List<Path> inputs, String field, InvalidUtf8 invalid) throws IOException {
        List<Verdict> all = new ArrayList<>();
        List<Path> files = InputFiles.expand(inputs);
        try (DocumentReader reader = new DocumentReader(files, field, invalid)) {
            reader.forEachRemaining(all::add);
            assertEquals(InputFiles.totalBytes(files), reader.bytesRead());
        }
        return all;
    }

    @Test
    void readsAFolderRecursivelyInPathOrderAndSkipsHiddenFiles() throws IOException {
        Path corpus = dir.resolve("corpus");
        write(corpus.resolve("b/x.txt"), "bx");
        write(corpus.resolve("a.txt"), "a");
        write(corpus.resolve("a/z.txt"), "az");
        write(corpus.resolve(".git/config"), "hidden");
        write(corpus.resolve("a/.notes.txt"), "hidden");

        List<Verdict> read = readAll(List.of(corpus), "text", InvalidUtf8.DROP);

        assertEquals(List.of("a", "az", "bx"), read.stream().map(v -> v.document().text()).toList());
        assertEquals(corpus.resolve("a/z.txt").toString(), read.get(1).document().id());
        assertEquals(read.get(1).document().id(), read.get(1).document().source());
    }

    @Test
    void readsGzippedJsonLinesWithTheTextFieldAndNamesWhatItCannotRead() throws IOException {
        Path file = dir.resolve("web.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("{\"content\": \"first\", \"url\": \"u1\"}\n\n"
                    + "{\"content\": \"second\"}\r\n"
                    + "not json\n"
                    + "{\"text\": \"no content field\"}\n"
                    + "{\"content\": \"last, no newline\"}").getBytes(StandardCharsets.UTF_8));
        }

        List<Verdict> read = readAll(List.of(file), "content", InvalidUtf8.DROP);

        assertEquals(List.of(file + ":1", file + ":3", file + ":4", file + ":5", file + ":6"),
                read.stream().map(v -> v.document().id()).toList());
        assertEquals("first", read.get(0).document().text());
        assertEquals("second", read.get(1).document().text());
        assertEquals("invalid_json", read.get(2).removedBy());
        assertEquals("missing_text_field", read.get(3).removedBy());
        assertEquals("last, no newline", read.get(4).document().text());
    }

    @Test
    void invalidUtf8IsDroppedOrRepairedAsAsked() throws IOException {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));

        Verdict dropped = readAll(List.of(file), "text", InvalidUtf8.DROP).get(0);
        Verdict repaired = readAll(List.of(file), "text", InvalidUtf8.REPAIR).get(0);

        assertEquals("invalid_utf8", dropped.removedBy());
        assertTrue(repaired.kept());
        assertEquals("caf\uFFFD cr\uFFFDme", repaired.document().text());
        assertEquals(1, repaired.changes().get("invalid_utf8_repaired"));
    }

    @Test
    void invalidUtf8InOneJsonLineCostsOnlyThatLine() throws IOException {
        Path file = dir.resolve("mixed.jsonl");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"text\": \"good\"}\n{\"text\": \"bad ".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {(byte) 0xC3, (byte) 0x28});
            out.write("\"}\n{\"text\": \"good again\"}\n".getBytes(StandardCharsets.UTF_8));
        }

        List<Verdict> read = readAll(List.of(file), "text", InvalidUtf8.DROP);

        assertEquals(3, read.size());
        assertTrue(read.get(0).kept());
        assertEquals("invalid_utf8", read.get(1).removedBy());
        assertEquals("good again", read.get(2).document().text());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
