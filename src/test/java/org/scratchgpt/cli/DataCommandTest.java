package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.SharedData;
import picocli.CommandLine;

class DataCommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"data", "data fetch", "data list"})
    void helpWorksOnEveryDataCommand(String command) {
        int exitCode = run((command + " --help").split(" "));

        assertEquals(0, exitCode, err.toString());
        assertTrue(out.toString().startsWith("Usage: scratchgpt " + command), out.toString());
    }

    @Test
    void fetchHelpExplainsFrom() {
        run("data", "fetch", "--help");

        assertTrue(out.toString().contains("--from=FILE|URL"), out.toString());
    }

    @Test
    void fetchesFromALocalFileAndSaysWhereItWent() throws IOException {
        Path copy = SharedData.tinyShakespeare();
        Path expected = dir.resolve("tinyshakespeare").resolve("input.txt");

        int exitCode = run("data", "fetch", "tinyshakespeare", "--from", copy.toString(), "--dir", dir.toString());

        assertEquals(0, exitCode, err.toString());
        assertTrue(out.toString().contains(expected.toString()), out.toString());
        assertEquals(Files.size(copy), Files.size(expected));
    }

    @Test
    void aWrongLocalFileFailsWithOneLineAndSavesNothing() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.txt"), "not shakespeare");
        Path datasets = dir.resolve("datasets");

        int exitCode = run("data", "fetch", "tinyshakespeare", "--from", wrong.toString(),
                "--dir", datasets.toString());

        assertEquals(1, exitCode);
        assertTrue(err.toString().startsWith("error: checksum mismatch"), err.toString());
        assertEquals(1, err.toString().lines().count(), "one line, no stack trace: " + err);
        assertFalse(Files.exists(datasets.resolve("tinyshakespeare").resolve("input.txt")));
    }

    @Test
    void aFailedFetchLeavesNoFolderItMade() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.txt"), "not shakespeare");
        Path datasets = dir.resolve("datasets");

        assertFetchFails(wrong, datasets, "checksum mismatch");
        assertFalse(Files.exists(datasets), "datasets/ and datasets/tinyshakespeare/ were made by the failed fetch");

        Files.createDirectory(datasets);
        assertFetchFails(wrong, datasets, "checksum mismatch");
        assertTrue(Files.isDirectory(datasets), "a folder that was there before is not the fetch's to remove");
        assertFalse(Files.exists(datasets.resolve("tinyshakespeare")));
    }

    @Test
    void aFromThatIsNoFileOrADirThatIsAFileIsNamedWithWhatToPassInstead() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertFetchFails(folder, dir.resolve("datasets"), "--from file " + folder + " is a folder: give the corpus file"
                + " inside it, or leave out --from");
        assertFetchFails(dir.resolve("none.txt"), dir.resolve("datasets"), "--from file " + dir.resolve("none.txt")
                + " does not exist: check the path");
        assertFetchFails(file, file, "cannot write the corpus " + file.resolve("tinyshakespeare").resolve("input.txt")
                + ": " + file + " is a file, not a folder: give --dir a folder you can write to");
    }

    private void assertFetchFails(Path from, Path datasets, String expected) {
        err.getBuffer().setLength(0);
        int exitCode = run("data", "fetch", "tinyshakespeare", "--from", from.toString(), "--dir", datasets.toString());
        CliAssertions.assertOneLineError(exitCode, err.toString(), expected);
    }

    @Test
    void unknownCorpusListsTheKnownOnes() {
        int exitCode = run("data", "fetch", "nosuchcorpus", "--dir", dir.toString());

        assertEquals(1, exitCode);
        assertTrue(err.toString().contains("tinyshakespeare"), err.toString());
    }

    @Test
    void listShowsWhetherEachCorpusIsHere() {
        int exitCode = run("data", "list", "--dir", dir.toString());

        assertEquals(0, exitCode, err.toString());
        assertTrue(out.toString().lines().anyMatch(line -> line.startsWith("tinyshakespeare") && line.endsWith("no")),
                out.toString());
    }

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
