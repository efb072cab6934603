package org.scratchgpt.config;

/**
 * The one check every builder of a record with many fields makes: a field without a default was given. A builder
 * that forgot one fails when it is built, naming the field, instead of leaving a 0 or a null in the record.
 */
public final class BuilderFields {
    private BuilderFields() {}

    /** {@code value}, which the builder of {@code record} must be given ({@code field} names it in the error). */
    public static <T> T required(String record, String field, T value) {
        if (value == null) {
            throw new IllegalStateException(record + " without " + field + ": give it to the builder");
        }
        return value;
    }
}
