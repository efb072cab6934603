package org.scratchgpt.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard output that stops the program when its reader leaves: {@code scratchgpt sample ... | head -c 300}.
 * When {@code head} exits, every later write to the pipe fails, but Java's {@code System.out}, a PrintStream,
 * swallows that failure (only {@code checkError()} tells), so a command streaming into the closed pipe went on
 * working, e.g. generating two billion tokens for nobody. This stream throws {@link ReaderLeft} instead, which
 * ends whatever command is writing, at once, and {@link ScratchGpt#main} then exits quietly with the status a
 * shell gives a writer whose reader left ({@link #EXIT_CODE}, as {@code yes | head} does): no message, since
 * the user closed the output on purpose.
 */
final class StandardOutput extends OutputStream {
    /** 128 + SIGPIPE (13): the status a shell reports for a program stopped by a closed pipe. */
    static final int EXIT_CODE = 141;

    private static volatile boolean readerLeft;

    private final OutputStream out;

    private StandardOutput(OutputStream out) {
        this.out = out;
    }

    /** Makes {@code System.out} this stream; the command line's output writer is built on System.out after this. */
    static void install() {
        // As the JVM builds System.out: file descriptor 1 behind a small buffer, in the terminal's encoding.
        OutputStream fd = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 128);
        System.setOut(new PrintStream(new StandardOutput(fd), true, stdoutCharset()));
    }

    /** Whether a write to standard output has failed: its reader left. */
    static boolean readerLeft() {
        return readerLeft;
    }

    private static Charset stdoutCharset() {
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        return name != null && Charset.isSupported(name) ? Charset.forName(name) : Charset.defaultCharset();
    }

    @Override
    public void write(int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw left(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw left(e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw left(e);
        }
    }

    private static ReaderLeft left(IOException e) {
        readerLeft = true;
        return new ReaderLeft(e);
    }

    /**
     * Unchecked, so that it passes through PrintStream and PrintWriter (which catch only IOException) and through
     * every caller up to the command line, unwinding as it goes (files are closed, half-made folders removed).
     */
    static final class ReaderLeft extends RuntimeException {
        ReaderLeft(IOException cause) {
            super("standard output was closed by its reader", cause);
        }
    }
}
