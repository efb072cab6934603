package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stream stops when its reader leaves: {@code scratchgpt sample ... | head -c 300} ends as soon as {@code head}
 * does, quietly, with the shell's status for a closed pipe (141). Each test runs the real command line in a JVM of
 * its own whose standard output is a pipe that the test reads a little of and then closes, as {@code head} does.
 */
class ClosedOutputTest {
    /** Long enough for a loaded machine to notice; generating or answering on would take far longer. */
    private static final int SECONDS_TO_STOP = 15;

    @TempDir Path dir;

    @Test
    void sampleStopsGeneratingWhenItsReaderLeaves() throws Exception {
        Path checkpoint = TinyRun.train(dir, "run", 16, 2, 2);
        ForkedJvm sample = ForkedJvm.scratchgptReadByTest(dir, Files.writeString(dir.resolve("no-input.txt"), ""),
                "sample", "--checkpoint", checkpoint.toString(), "--max-tokens", "2147483647", "--device", "cpu");
        readThenLeave(sample, 300);
    }

    @Test
    void chatStopsAnsweringWhenItsReaderLeaves() throws Exception {
        TinyRun.train(dir, "base", 32, 2, 2);
        Path conversations = Files.writeString(dir.resolve("chat.jsonl"), """
                {"messages": [{"role": "user", "content": "to be"}, {"role": "assistant", "content": "or not to be"}]}
                {"messages": [{"role": "user", "content": "that is"}, {"role": "assistant", "content": "the question"}]}
                """);
        CliRun tuned = CliRun.of("finetune", "--from", dir.resolve("base/best").toString(), "--chat",
                conversations.toString(), "--out", dir.resolve("tuned").toString(), "--set", "max_iters=1",
                "--device", "cpu", "--quiet");
        assertEquals(0, tuned.exitCode(), tuned.err());
        // Questions enough for minutes of answers.
        Path questions = Files.writeString(dir.resolve("questions.txt"), "to be\n".repeat(100_000));
        ForkedJvm chat = ForkedJvm.scratchgptReadByTest(dir, questions, "chat", "--checkpoint",
                dir.resolve("tuned/latest").toString(), "--max-tokens", "20", "--device", "cpu");
        readThenLeave(chat, 300);
    }

    @Test
    void encodeStopsPrintingTokensWhenItsReaderLeaves() throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), TinyRun.LINE.repeat(20_000)); // 1.6 MB, 1.6M lines
        Path tokenizer = dir.resolve("tokenizer.json");
        CliRun trained = CliRun.of("tokenizer", "train", "--input", text.toString(), "--output",
                tokenizer.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        ForkedJvm encode = ForkedJvm.scratchgptReadByTest(dir, text, "tokenizer", "encode", "--tokenizer",
                tokenizer.toString(), "--show-tokens");
        readThenLeave(encode, 300);
    }

    /** Reads {@code bytes} of the process's output, closes it, and checks that the process ends soon and quietly. */
    static void readThenLeave(ForkedJvm jvm, int bytes) throws Exception {
        readThenLeave(jvm, bytes, 600);
    }

    /** The same, when the first {@code bytes} must come within {@code seconds} of the start. */
    static void readThenLeave(ForkedJvm jvm, int bytes, int seconds) throws Exception {
        try {
            InputStream output = jvm.output();
            byte[] read;
            try {
                read = CompletableFuture.supplyAsync(() -> readNBytes(output, bytes)).get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("not " + bytes + " bytes printed in " + seconds + " s: " + jvm.stderr(), e);
            }
            assertEquals(bytes, read.length, "it printed as it went: " + jvm.stderr());
            output.close();
            assertTrue(jvm.endsWithin(SECONDS_TO_STOP), "still running " + SECONDS_TO_STOP + " s after its reader"
                    + " left: " + jvm.stderr());
        } finally {
            jvm.kill(); // a process that did not stop must not outlive the test
        }
        assertEquals(StandardOutput.EXIT_CODE, jvm.exitCode(), jvm.stderr());
        assertFalse(jvm.stderr().contains("error") || jvm.stderr().contains("Exception")
                || jvm.stderr().contains("\tat "), "quietly: " + jvm.stderr());
    }

    private static byte[] readNBytes(InputStream in, int bytes) {
        try {
            return in.readNBytes(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
