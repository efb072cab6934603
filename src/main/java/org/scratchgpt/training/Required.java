package org.scratchgpt.training;

/** The one check the run's builders share: a field without a default was given. */
final class Required {
    private Required() {}

    /** {@code value}, which a builder must be given ({@code field} names it in the error). */
    static <T> T given(String field, T value) {
        if (value == null) {
            throw new IllegalStateException(field + " is not set: give it to the builder");
        }
        return value;
    }
}
