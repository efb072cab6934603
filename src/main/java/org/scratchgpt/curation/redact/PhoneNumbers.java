package org.scratchgpt.curation.redact;

import java.util.regex.Pattern;

/**
 * Phone numbers as people write them: an optional international prefix (+44), an area code (in parentheses or
 * not), then two groups separated by a space, dot or hyphen, the last of four digits, 9 to 15 digits in all:
 * "+1 415 555 0134", "(415) 555-0134", "020 7946 0958", "+49 30 1234 5678". What stays: dates (2024-01-15),
 * times, version numbers, amounts ("100 000 000": the last group has three digits), numbers without separators
 * (a bare "4155550134" cannot be told from any other number), and years: a candidate whose last two groups are
 * four-digit years (1900 to 2099) without an international prefix is a list or range of years, as in copyright
 * lines and legal clauses ("Copyright (C) 2003 2004 2005", "clause (1) 2018-2019"), not a phone number.
 */
final class PhoneNumbers {
    private PhoneNumbers() {}

    static PiiPattern pattern() {
        return new PiiPattern("phone", "<PHONE>",
                Pattern.compile("(?<![\\w+]|\\d[ .-])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?|\\d{2,4}[ .-])"
                        + "\\d{2,4}[ .-]\\d{4}(?![\\w]|[ .-]\\d)"),
                candidate -> hasPhoneLength(candidate) && !endsInYears(candidate),
                PiiPattern.wordStarts(c -> Character.isDigit(c) || c == '+' || c == '('), (char) 0);
    }

    /** Whether the last two digit groups are years 1900..2099 and no "+" prefix says it is a phone number. */
    static boolean endsInYears(String candidate) {
        if (candidate.startsWith("+")) {
            return false;
        }
        String[] groups = candidate.split("\\D+");
        return groups.length >= 2 && isYear(groups[groups.length - 1]) && isYear(groups[groups.length - 2]);
    }

    private static boolean isYear(String digits) {
        return digits.length() == 4 && (digits.startsWith("19") || digits.startsWith("20"));
    }

    private static boolean hasPhoneLength(String candidate) {
        long digits = candidate.chars().filter(Character::isDigit).count();
        return digits >= 9 && digits <= 15;
    }
}
