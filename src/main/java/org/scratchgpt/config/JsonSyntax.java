package org.scratchgpt.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gson's parse errors, said in a few words: its messages name its own exception class, advise a setting of its
 * reader and link its troubleshooting page over several lines, none of which helps someone fixing a file.
 */
public final class JsonSyntax {
    private static final Pattern WHERE = Pattern.compile("at line (\\d+) column (\\d+)");

    private JsonSyntax() {}

    /** E.g. "malformed JSON at line 1 column 6", or "malformed JSON" where Gson did not say where. */
    public static String describe(Exception parseError) {
        String message = String.valueOf(parseError.getMessage());
        if (message.contains("End of input")) {
            return "the JSON ends too early";
        }
        Matcher where = WHERE.matcher(message);
        return where.find() ? "malformed JSON at line " + where.group(1) + " column " + where.group(2) : "malformed JSON";
    }
}
