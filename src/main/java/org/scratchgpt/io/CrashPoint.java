package org.scratchgpt.io;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the crash-safety tests: the places where a write can be cut short call
 * {@link #reach}, and a process started with {@code -Dscratchgpt.crash-at=TARGET@POINT#N} dies there, at once
 * and without cleaning up (as a kill or a power cut would), the N-th time it reaches that point for that target
 * (e.g. {@code latest@set-aside#2}: the second checkpoint of latest/, after the old one was renamed aside). Without
 * the property every call is a no-op.
 */
public final class CrashPoint {
    private static final String SPEC = System.getProperty("scratchgpt.crash-at");
    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    /** The exit code of an injected crash, so a test can tell it from a failure. */
    public static final int EXIT_CODE = 97;

    private CrashPoint() {}

    public static void reach(String target, String point) {
        if (SPEC == null) {
            return;
        }
        String key = target + "@" + point;
        int count = REACHED.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (SPEC.equals(key + "#" + count)) {
            System.err.println("crash injected at " + SPEC);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
