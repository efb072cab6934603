package org.scratchgpt.curation.redact;

import java.util.regex.Pattern;

/**
 * Phone numbers as people write them: an optional international prefix (+44), an area code (in parentheses or
 * not), then two groups separated by a space, dot or hyphen, the last of four digits, 9 to 15 digits in all:
 * "+1 415 555 0134", "(415) 555-0134", "020 7946 0958", "+49 30 1234 5678". What stays: dates (2024-01-15),
 * times, version numbers, amounts ("100 000 000": the last group has three digits), numbers without separators
 * (a bare "4155550134" cannot be told from any other number). A run of three four-digit groups ("1990 2000 2010")
 * is read as a phone number: text alone cannot tell them apart.
 */
final class PhoneNumbers {
    private PhoneNumbers() {}

    static PiiPattern pattern() {
        return new PiiPattern("phone", "<PHONE>",
                Pattern.compile("(?<![\\w+]|\\d[ .-])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?|\\d{2,4}[ .-])"
                        + "\\d{2,4}[ .-]\\d{4}(?![\\w]|[ .-]\\d)"),
                PhoneNumbers::hasPhoneLength,
                PiiPattern.wordStarts(c -> Character.isDigit(c) || c == '+' || c == '('), (char) 0);
    }

    private static boolean hasPhoneLength(String candidate) {
        long digits = candidate.chars().filter(Character::isDigit).count();
        return digits >= 9 && digits <= 15;
    }
}
