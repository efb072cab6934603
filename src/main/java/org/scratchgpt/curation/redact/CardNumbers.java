package org.scratchgpt.curation.redact;

import java.util.regex.Pattern;

/**
 * Payment card numbers: 13 to 19 digits, optionally grouped by spaces or hyphens, that pass the Luhn check (the
 * check digit every card number carries). A number of that length that fails it (an order number, a typo) stays;
 * about one in ten arbitrary long numbers passes by chance and is redacted too, the price of not missing a card.
 */
final class CardNumbers {
    private CardNumbers() {}

    static PiiPattern pattern() {
        return new PiiPattern("card", "<CARD>",
                Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w]|[ -]\\d)"),
                CardNumbers::passesLuhn,
                PiiPattern.wordStarts(Character::isDigit), (char) 0);
    }

    /**
     * The Luhn check: from the rightmost digit leftwards, double every second digit (subtracting 9 when that
     * exceeds 9) and add all up; a valid number gives a multiple of 10.
     */
    static boolean passesLuhn(String number) {
        int sum = 0;
        boolean doubled = false;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                continue; // a space or hyphen between groups
            }
            int digit = c - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
