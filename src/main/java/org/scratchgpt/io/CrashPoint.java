package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.HashMap;
import java.util.Map;

/**
 * Fault injection for the crash-safety tests: the places where a write can be cut short call {@link #reach}.
 * Without the system properties below every call is a no-op.
 *
 * <ul>
 *   <li>{@code -Dscratchgpt.crash-at=TARGET@POINT#N}: the process dies there, at once and without cleaning up (as
 *       a kill or a power cut would), the N-th time it reaches that point for that target (e.g.
 *       {@code latest@set-aside#2}: the second checkpoint of latest/, after the old one was renamed aside);
 *   <li>{@code -Dscratchgpt.fail-at=TARGET@POINT#N}: the write fails there as on a full disk.
 * </ul>
 *
 * Counting starts when a property is set, so a test can set one in a JVM that has written before.
 */
public final class CrashPoint {
    /** The exit code of an injected crash, so a test can tell it from a failure. */
    public static final int EXIT_CODE = 97;

    private static final Map<String, Integer> REACHED = new HashMap<>();
    private static String countingFor = "";

    private CrashPoint() {}

    public static synchronized void reach(String target, String point) throws IOException {
        String crashAt = System.getProperty("scratchgpt.crash-at");
        String failAt = System.getProperty("scratchgpt.fail-at");
        if (crashAt == null && failAt == null) {
            return;
        }
        if (!(crashAt + "|" + failAt).equals(countingFor)) {
            countingFor = crashAt + "|" + failAt;
            REACHED.clear();
        }
        String key = target + "@" + point;
        String reached = key + "#" + REACHED.merge(key, 1, Integer::sum);
        if (reached.equals(crashAt)) {
            System.err.println("crash injected at " + crashAt);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
        if (reached.equals(failAt)) {
            throw new FileSystemException(target, null, "No space left on device");
        }
    }
}
