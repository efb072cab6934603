package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.curation.Prose;
import org.scratchgpt.io.CrashPoint;
import picocli.CommandLine;

/** {@code data prepare} end to end, on a generated corpus with planted problems. */
class DataPrepareCommandTest {
    private static final List<String> PLANTED_PII = List.of("ada.lovelace@example.org", "93.184.216.34",
            "+44 20 7946 0958", "4111 1111 1111 1111", "2606:4700:4700::1111");
    private static final List<String> LOOK_ALIKES = List.of("192.168.0.12", "4111 1111 1111 1112", "v2.10.3.1");

    @TempDir Path dir;
    private Path corpus;
    private final Set<String> goodIds = new HashSet<>();
    private final Set<String> badIds = new HashSet<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * A folder of text files and a gzipped JSON lines file: good prose (some with personal data and look-alikes in
     * it), and planted problems: an exact and a near copy of a book, a too-short note, a page repeating itself, an
     * empty file, a Latin-1 file.
     */
    @BeforeEach
    void plantCorpus() throws IOException {
        corpus = dir.resolve("corpus");
        Random random = new Random(42);
        for (int i = 0; i < 30; i++) {
            String id = write("books/book-" + i + ".txt", Prose.paragraph(random, 12) + "\n\n"
                    + Prose.paragraph(random, 6));
            goodIds.add(id);
        }
        String book = Files.readString(corpus.resolve("books/book-0.txt"));
        badIds.add(write("mirror/book-0-copy.txt", book)); // read after books/: the copy is the one removed
        String other = Files.readString(corpus.resolve("books/book-1.txt"));
        badIds.add(write("mirror/book-1-edited.txt", other.replaceFirst(" \\w+\\.", " harbour.")));
        badIds.add(write("notes/short.txt", "Call me."));
        String page = Prose.paragraph(random, 5);
        badIds.add(write("web/spam.txt", String.join("\n\n", page, page, page, page)));
        write("web/empty.txt", "  \n\t\n");
        Path latin1 = Files.write(corpus.resolve("web/latin1.txt"),
                (Prose.paragraph(random, 12) + " caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        badIds.add(latin1.toString());
        Path jsonl = corpus.resolve("web/pages.jsonl.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(jsonl))) {
            for (int i = 0; i < 40; i++) {
                String text = Prose.paragraph(random, 12) + " Contact " + PLANTED_PII.get(i % PLANTED_PII.size())
                        + " or see " + LOOK_ALIKES.get(i % LOOK_ALIKES.size()) + ". " + Prose.paragraph(random, 3);
                JsonObject record = new JsonObject();
                record.addProperty("text", text);
                gz.write((record + "\n").getBytes(StandardCharsets.UTF_8));
                goodIds.add(jsonl + ":" + (i + 1));
            }
        }
    }

    private String write(String relative, String text) throws IOException {
        Path file = corpus.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file.toString();
    }

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String[] prepare(Path prepared, String... more) {
        List<String> args = new ArrayList<>(List.of("data", "prepare", "--input", corpus.toString(),
                "--out", prepared.toString(), "--val-fraction", "0.2", "--test-fraction", "0.1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void keepsGoodProseRemovesPlantedProblemsRedactsAndSplitsDisjointly() throws IOException {
        Path prepared = dir.resolve("prepared");

        assertEquals(0, run(prepare(prepared)), err.toString());

        Map<String, String> splitOf = new HashMap<>();
        Map<String, String> text = new HashMap<>();
        for (String split : List.of("train", "val", "test")) {
            for (JsonObject record : records(prepared.resolve(split))) {
                String id = record.get("id").getAsString();
                String earlier = splitOf.put(id, split);
                assertEquals(null, earlier, id + " is in " + earlier + " and " + split);
                text.put(id, record.get("text").getAsString());
            }
        }
        assertEquals(goodIds, splitOf.keySet(), "every good document kept, every planted bad one removed");
        for (String kept : text.values()) {
            PLANTED_PII.forEach(pii -> assertFalse(kept.contains(pii), pii + " left in: " + kept));
        }
        String all = String.join("\n", text.values());
        LOOK_ALIKES.forEach(lookAlike -> assertTrue(all.contains(lookAlike), lookAlike + " was redacted"));
        String report = Files.readString(prepared.resolve("report.md"));
        assertTrue(report.contains("| quality | removed: gopher_short_doc | 1 |"), report);
        assertTrue(report.contains("| exact_dedup | removed: exact_duplicate | 1 |"), report);
        assertTrue(report.contains("| minhash_dedup | removed: minhash_duplicate | 1 |"), report);
        assertTrue(out.toString().contains("prepared " + goodIds.size() + " documents"), out.toString());
    }

    @Test
    void emptyAndInvalidUtf8DocumentsAreKeptWhenAsked() throws IOException {
        Path prepared = dir.resolve("prepared");

        assertEquals(0, run(prepare(prepared, "--keep-empty", "--invalid-utf8", "repair", "--no-quality",
                "--no-dedup", "--no-gzip")), err.toString());

        Map<String, String> text = new HashMap<>();
        for (String split : List.of("train", "val", "test")) {
            records(prepared.resolve(split)).forEach(r -> text.put(r.get("id").getAsString(), r.get("text").getAsString()));
        }
        assertEquals("", text.get(corpus.resolve("web/empty.txt").toString()));
        assertTrue(text.get(corpus.resolve("web/latin1.txt").toString()).endsWith("caf\uFFFD"));
        assertEquals(goodIds.size() + badIds.size() + 1, text.size());
    }

    @Test
    void anInterruptedPrepareRunAgainGivesTheSameOutputAsAnUninterruptedOne() throws Exception {
        Path uninterrupted = dir.resolve("uninterrupted");
        assertEquals(0, run(prepare(uninterrupted, "--part-size", "2kB")), err.toString());
        Path prepared = dir.resolve("prepared");

        ForkedJvm killed = ForkedJvm.scratchgpt(dir, List.of("-Dscratchgpt.crash-at=prepare@part-written#3"),
                prepare(prepared, "--part-size", "2kB"));
        assertEquals(CrashPoint.EXIT_CODE, killed.waitFor(), killed.stderr());
        assertFalse(Files.exists(prepared), "nothing half-written under the final name");
        assertEquals(0, run(prepare(prepared, "--part-size", "2kB")), err.toString());

        Map<String, byte[]> expected = filesUnder(uninterrupted);
        Map<String, byte[]> actual = filesUnder(prepared);
        assertEquals(expected.keySet(), actual.keySet());
        assertTrue(actual.size() > 4, "several parts: " + actual.keySet());
        expected.forEach((name, bytes) -> {
            if (!name.startsWith("report")) { // the report also holds the seconds each stage took
                assertArrayEquals(bytes, actual.get(name), name);
            }
        });
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".prepared")).toList());
        }
    }

    @Test
    void refusesToReplaceAPreparedFolderWithoutForce() throws IOException {
        Path prepared = dir.resolve("prepared");
        assertEquals(0, run(prepare(prepared)), err.toString());

        int exitCode = run(prepare(prepared));

        CliAssertions.assertOneLineError(exitCode, err.toString(), "already exists", "--force");
        err.getBuffer().setLength(0);
        assertEquals(0, run(prepare(prepared, "--force")), err.toString());
    }

    @Test
    void badInputIsOneLine() {
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", dir.resolve("nothing").toString(),
                "--out", dir.resolve("p").toString()), err.toString(), "does not exist", "--input");
        err.getBuffer().setLength(0);
        CliAssertions.assertOneLineError(run(prepare(dir.resolve("p"), "--invalid-utf8", "fix")), err.toString(),
                "--invalid-utf8 fix", "drop or repair");
        err.getBuffer().setLength(0);
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", corpus.toString(),
                "--out", dir.resolve("p").toString(), "--val-fraction", "1"), err.toString(),
                "--val-fraction", "below 1");
        err.getBuffer().setLength(0);
        CliAssertions.assertOneLineError(run(prepare(dir.resolve("p"), "--max-top-ngram-chars", "0.2,0.1")),
                err.toString(), "--max-top-ngram-chars", "give 3");
        assertFalse(Files.exists(dir.resolve("p")));
    }

    @Test
    void anOutInsideOrAroundAnInputIsRefusedWhateverForceSays() throws IOException {
        Path inside = corpus.resolve("prepared");
        CliAssertions.assertOneLineError(run(prepare(inside, "--force")), err.toString(),
                "--out " + inside + " lies inside --input " + corpus, "give --out a folder apart from every --input");
        assertFalse(Files.exists(inside), "never written, so never read back as documents by the next run");

        err.getBuffer().setLength(0);
        Path pages = corpus.resolve("web/pages.jsonl.gz");
        byte[] before = Files.readAllBytes(pages);
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", pages.toString(), "--out",
                corpus.resolve("web").toString(), "--force"), err.toString(), "holds --input " + pages);
        assertArrayEquals(before, Files.readAllBytes(pages), "the input is not replaced");

        err.getBuffer().setLength(0);
        Path tokenizer = Files.copy(Path.of(System.getenv().getOrDefault("SCRATCHGPT_SHARED", "/work/shared"),
                "tokenizers/gpt2/tokenizer.json"), Files.createDirectories(dir.resolve("tok")).resolve("tokenizer.json"));
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", corpus.toString(), "--out",
                tokenizer.getParent().toString(), "--tokenizer", tokenizer.toString(), "--force"), err.toString(),
                "holds --tokenizer " + tokenizer);
        assertTrue(Files.isRegularFile(tokenizer));
    }

    @Test
    void aDamagedGzipInputIsNamedWithWhatIsWrongWithIt() throws IOException {
        Path pages = corpus.resolve("web/pages.jsonl.gz");
        byte[] gzip = Files.readAllBytes(pages);
        Path truncated = Files.write(dir.resolve("truncated.jsonl.gz"), java.util.Arrays.copyOf(gzip, gzip.length / 2));
        Path prepared = dir.resolve("p");
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", truncated.toString(), "--out",
                prepared.toString()), err.toString(), "input " + truncated + " is truncated", "copy or download it again");
        assertFalse(err.toString().contains(prepared.toString()), "the --out folder is not to blame: " + err);

        err.getBuffer().setLength(0);
        Path plain = Files.writeString(dir.resolve("plain.jsonl.gz"), "{\"text\": \"not compressed\"}\n");
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", plain.toString(), "--out",
                prepared.toString()), err.toString(), "input " + plain + " is not gzip", "rename it without .gz");
        assertFalse(Files.exists(prepared));
    }

    @Test
    void nothingKeptIsOneLineThatNamesTheInputAndWhy() throws IOException {
        String tokenizer = Path.of(System.getenv().getOrDefault("SCRATCHGPT_SHARED", "/work/shared"),
                "tokenizers/gpt2/tokenizer.json").toString();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path prepared = dir.resolve("p");
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", empty.toString(), "--out",
                prepared.toString(), "--tokenizer", tokenizer), err.toString(), "--input " + empty + " holds no documents",
                "give text files");
        assertFalse(err.toString().contains(".new"), "no temporary folder named: " + err);

        err.getBuffer().setLength(0);
        Path blank = Files.writeString(dir.resolve("blank.txt"), " \n");
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", blank.toString(), "--out",
                prepared.toString(), "--tokenizer", tokenizer), err.toString(), "kept none of the 1 documents of --input "
                + blank, "empty 1", "--keep-empty");
        assertFalse(err.toString().contains(".new"), "no temporary folder named: " + err);

        err.getBuffer().setLength(0);
        CliAssertions.assertOneLineError(run("data", "prepare", "--input", corpus.resolve("web/pages.jsonl.gz")
                .toString(), "--out", prepared.toString(), "--text-field", "body"), err.toString(),
                "no JSON record of --input", "has a text field \"body\" (their fields: text)", "give --text-field");
        assertFalse(Files.exists(prepared));
    }

    private static List<JsonObject> records(Path splitDir) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        try (Stream<Path> parts = Files.list(splitDir)) {
            for (Path part : parts.sorted().toList()) {
                try (InputStream in = part.toString().endsWith(".gz")
                        ? new GZIPInputStream(Files.newInputStream(part)) : Files.newInputStream(part)) {
                    String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    content.lines().forEach(line -> records.add(JsonParser.parseString(line).getAsJsonObject()));
                }
            }
        }
        return records;
    }

    private static Map<String, byte[]> filesUnder(Path folder) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
