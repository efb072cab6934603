package org.scratchgpt.curation.redact;

import java.util.regex.Pattern;

/**
 * E-mail addresses: a local part, @, and a domain of dot-separated labels ending in a top-level domain of letters.
 * Look-alikes that stay: a handle ("@scratchgpt"), an address without a top-level domain ("root@localhost"), a
 * spelled-out one ("jane at example dot com").
 */
final class EmailAddresses {
    private EmailAddresses() {}

    static PiiPattern pattern() {
        return new PiiPattern("email", "<EMAIL>",
                Pattern.compile("(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
                        + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,}(?![\\w-])"),
                address -> !address.contains(".."));
    }
}
