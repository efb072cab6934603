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
                address -> !address.contains(".."),
                EmailAddresses::localPartStart, '@');
    }

    /**
     * The one place an address through the next @ can start: the beginning of the run of local-part characters
     * before it (any later start would follow one of them, which the pattern's look-behind forbids).
     */
    static int localPartStart(String text, int from) {
        int at = text.indexOf('@', from);
        if (at < 0) {
            return -1;
        }
        int start = at;
        while (start > from && isLocalPartCharacter(text.charAt(start - 1))) {
            start--;
        }
        return start;
    }

    private static boolean isLocalPartCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._%+-".indexOf(c) >= 0;
    }
}
