package org.scratchgpt.curation.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a text as the Gopher rules count them: the pieces between whitespace (Rae et al. 2021 split on
 * whitespace; datatrove uses a language's word tokenizer, which also makes punctuation words of its own, so its
 * counts differ slightly on punctuation-heavy text).
 */
final class Words {
    private Words() {}

    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (space && start >= 0) {
                words.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    /** Whether {@code word} is only punctuation and symbols ("--", "#", "..."): such words are no words for length. */
    static boolean isSymbolOnly(String word) {
        return word.codePoints().allMatch(Words::isPunctuationOrSymbol);
    }

    static boolean hasLetter(String word) {
        return word.codePoints().anyMatch(Character::isLetter);
    }

    private static boolean isPunctuationOrSymbol(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }
}
