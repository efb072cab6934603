package org.scratchgpt.curation.redact;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of personal data: a pattern that finds candidates, a check that tells the real ones from look-alikes
 * (a private IP address, a number that fails the Luhn check), and the placeholder that replaces the real ones.
 */
record PiiPattern(String kind, String placeholder, Pattern candidates, Predicate<String> isPersonal) {

    /** {@code text} with every personal match replaced; how many were replaced goes into {@code replaced[0]}. */
    String redact(String text, int[] replaced) {
        Matcher matcher = candidates.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copiedUpTo = 0;
        do {
            if (isPersonal.test(matcher.group())) {
                out.append(text, copiedUpTo, matcher.start()).append(placeholder);
                copiedUpTo = matcher.end();
                replaced[0]++;
            }
        } while (matcher.find());
        return out.append(text, copiedUpTo, text.length()).toString();
    }
}
