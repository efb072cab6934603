package org.scratchgpt.curation.redact;

import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of personal data: a pattern that finds candidates, a check that tells the real ones from look-alikes
 * (a private IP address, a number that fails the Luhn check), and the placeholder that replaces the real ones.
 *
 * <p>For speed, two facts: a candidate can only start where {@code starts} says (for most kinds a word start, never
 * right after a regex word character [A-Za-z0-9_], which each pattern's look-behind forbids, with a character that
 * can begin it), and it contains {@code anchor} (0 for none). A regex {@code find()} would try the pattern at every
 * position of the text; trying it only there finds the same matches several times faster.
 */
record PiiPattern(String kind, String placeholder, Pattern candidates, Predicate<String> isPersonal,
                  Starts starts, char anchor) {

    /** Where a candidate may start: the next such position at or after {@code from}, or -1. */
    @FunctionalInterface
    interface Starts {
        int next(String text, int from);
    }

    /** Word starts (not after a word character) whose character {@code canStart} accepts. */
    static Starts wordStarts(IntPredicate canStart) {
        return (text, from) -> {
            for (int i = from; i < text.length(); i++) {
                if (canStart.test(text.charAt(i)) && (i == 0 || !isWordCharacter(text.charAt(i - 1)))) {
                    return i;
                }
            }
            return -1;
        };
    }

    /** {@code text} with every personal match replaced; how many were replaced goes into {@code replaced[0]}. */
    String redact(String text, int[] replaced) {
        if (anchor != 0 && text.indexOf(anchor) < 0) {
            return text;
        }
        Matcher matcher = candidates.matcher(text).useTransparentBounds(true); // look-behinds see before the region
        StringBuilder out = null;
        int copiedUpTo = 0;
        for (int i = starts.next(text, 0); i >= 0; i = i < text.length() ? starts.next(text, i) : -1) {
            if (!matcher.region(i, text.length()).lookingAt()) {
                i++;
                continue;
            }
            if (isPersonal.test(matcher.group())) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, copiedUpTo, matcher.start()).append(placeholder);
                copiedUpTo = matcher.end();
                replaced[0]++;
            }
            i = Math.max(matcher.end(), i + 1); // as find() does: the next try starts where this match ended
        }
        return out == null ? text : out.append(text, copiedUpTo, text.length()).toString();
    }

    /** What {@code \w} matches in a Java regex without UNICODE_CHARACTER_CLASS. */
    private static boolean isWordCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
