package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a person watches standard error: only then is a progress bar, with its carriage returns and escape codes,
 * worth drawing. {@code System.console()} is not enough: it looks at standard input and output, so in
 * {@code scratchgpt train 2>log.txt} it still says "terminal" and the bar's codes filled the log file. On Linux the
 * file behind descriptor 2 tells: a terminal is a {@code /dev/pts/N} or {@code /dev/ttyN} device.
 */
public final class Terminal {
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private Terminal() {}

    /** Whether standard error goes to a terminal (and so does standard output, as System.console() requires). */
    public static boolean onStandardError() {
        if (System.console() == null) {
            return false;
        }
        try {
            return isTerminalDevice(Files.readSymbolicLink(STDERR).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no /proc (macOS, Windows): System.console() is all there is to go by
        }
    }

    /** Whether a device path names a terminal: /dev/pts/3, /dev/tty1, /dev/console. */
    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }
}
