package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every CLI test asserts of a user error: the project's rule for bad input. */
final class CliAssertions {
    private CliAssertions() {}

    /**
     * Exit code 1 and one line on standard error, {@code error: ...}, that holds every one of {@code expected}
     * (the problem, the fix), and no stack trace.
     */
    static void assertOneLineError(int exitCode, String err, String... expected) {
        assertEquals(1, exitCode, err);
        String message = err.strip();
        assertEquals(1, message.lines().count(), "one line, no stack trace: " + message);
        assertTrue(message.startsWith("error: "), message);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + message);
        for (String part : expected) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }
}
