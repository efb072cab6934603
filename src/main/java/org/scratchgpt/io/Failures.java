package org.scratchgpt.io;

import java.io.EOFException;
import java.util.Locale;

/**
 * What went wrong, in words, for a message that quotes a caught exception. Many exceptions carry no message at all
 * (a file that ends too early throws an {@link EOFException} without one), and quoting {@code getMessage()} then
 * printed "(null)"; the kind of failure, in words, and its cause's words say more. (The kind is not given by its
 * class name: a user's error line holds no "Exception", which reads as a crash.)
 */
public final class Failures {
    private Failures() {}

    /** The exception's own message; else its kind in words, and its cause's words when it has a cause. */
    public static String why(Throwable e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        String kind = e instanceof EOFException ? "the file ends too early" : kindInWords(e) + ", with no details";
        Throwable cause = e.getCause();
        return cause == null || cause == e ? kind : kind + ": " + why(cause);
    }

    /** "illegal state" for an IllegalStateException, "index out of bounds" for an IndexOutOfBoundsException. */
    private static String kindInWords(Throwable e) {
        String name = e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
