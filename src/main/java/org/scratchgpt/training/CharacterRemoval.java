package org.scratchgpt.training;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A shell command that removes from a corpus every character a character-level vocabulary lacks, for the advice
 * of {@link UnencodableText}. It has to work for what the text holds (digits, brackets, tabs, accents, dashes), so
 * it is written from the characters themselves. When the vocabulary is plain ASCII (tiny-shakespeare's is), {@code
 * tr -cd} keeps only the vocabulary's characters: tr works on bytes, and every byte of a multi-byte UTF-8 character
 * is outside ASCII, so such a character goes whole. A vocabulary with other characters cannot be written as bytes,
 * so the missing characters are deleted by code point with Perl, which reads the text as UTF-8 whatever the locale.
 */
final class CharacterRemoval {

    /** More missing characters than this, and the text is not the model's alphabet with a few extras. */
    private static final int MOST_LISTED = 40;
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9_./+-]+");

    private CharacterRemoval() {}

    /**
     * The command that writes {@code corpus} without the characters outside {@code vocabulary} (code points) to a
     * new file beside it; empty when the missing characters ({@code missing}) are too many to list.
     */
    static Optional<String> command(Path corpus, Set<Integer> vocabulary, Set<Integer> missing) {
        String files = " < " + quoted(corpus.toString()) + " > " + quoted(cleanedName(corpus));
        if (vocabulary.stream().allMatch(cp -> cp < 0x80)) {
            return Optional.of("tr -cd '" + trSet(vocabulary) + "'" + files);
        }
        if (missing.size() > MOST_LISTED) {
            return Optional.empty();
        }
        StringBuilder deleted = new StringBuilder();
        new TreeSet<>(missing).forEach(cp -> deleted.append(String.format(Locale.ROOT, "\\x{%X}", cp)));
        return Optional.of("perl -CSD -pe 's/[" + deleted + "]//g'" + files);
    }

    /** Where the cleaned text goes: {@code new.txt} becomes {@code new-chars.txt}, beside it. */
    static String cleanedName(Path corpus) {
        String name = corpus.getFileName().toString();
        String cleaned = stem(corpus) + "-chars" + (name.equals(stem(corpus)) ? ".txt" : name.substring(stem(corpus).length()));
        Path parent = corpus.getParent();
        return parent == null ? cleaned : parent.resolve(cleaned).toString();
    }

    /** The file's name without its extension: {@code poems} for {@code data/poems.txt}. */
    static String stem(Path corpus) {
        String name = corpus.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * The characters as one tr set: runs of digits and letters as ranges (a-z), escapes for what tr or the shell's
     * single quotes would read otherwise (backslash, quote, brackets, control characters), and '-' last, where tr
     * cannot take it for a range.
     */
    private static String trSet(Set<Integer> characters) {
        StringBuilder set = new StringBuilder();
        Integer[] sorted = new TreeSet<>(characters).toArray(Integer[]::new);
        for (int i = 0; i < sorted.length; i++) {
            int cp = sorted[i];
            if (cp == '-') {
                continue;
            }
            int end = i;
            while (end + 1 < sorted.length && sorted[end + 1] == sorted[end] + 1 && sameClass(cp, sorted[end + 1])) {
                end++;
            }
            if (end - i >= 2) { // three or more in a row: a range
                set.append(trCharacter(cp)).append('-').append(trCharacter(sorted[end]));
                i = end;
            } else {
                set.append(trCharacter(cp));
            }
        }
        if (characters.contains((int) '-')) {
            set.append('-');
        }
        return set.toString();
    }

    private static boolean sameClass(int a, int b) {
        return Character.isDigit(a) && Character.isDigit(b) || Character.isUpperCase(a) && Character.isUpperCase(b)
                || Character.isLowerCase(a) && Character.isLowerCase(b);
    }

    private static String trCharacter(int cp) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            case '\\' -> "\\\\";
            case '\'', '[', ']' -> String.format(Locale.ROOT, "\\%03o", cp);
            default -> cp < 0x20 || cp == 0x7F ? String.format(Locale.ROOT, "\\%03o", cp) : Character.toString(cp);
        };
    }

    /** A path as the shell reads it back: as it is when plain, else in single quotes. */
    static String quoted(String path) {
        return PLAIN_PATH.matcher(path).matches() ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
