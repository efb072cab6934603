package org.scratchgpt.curation;

import java.util.List;
import java.util.Random;

/**
 * Generated English-like prose for the curation tests: sentences from a small grammar with random words, so that
 * it passes the Gopher rules (enough words, stop words, no repeated lines or n-grams) like real prose would.
 */
public final class Prose {
    private static final List<String> ADJECTIVES = List.of("quiet", "northern", "ancient", "busy", "narrow",
            "golden", "careful", "young", "distant", "heavy", "bright", "gentle", "patient", "curious", "broad");
    private static final List<String> NOUNS = List.of("river", "farmer", "market", "teacher", "village", "bridge",
            "garden", "merchant", "library", "harbour", "window", "mountain", "letter", "kitchen", "forest", "engine",
            "painter", "orchard", "station", "meadow");
    private static final List<String> VERBS = List.of("crossed", "visited", "described", "repaired", "watched",
            "followed", "remembered", "carried", "painted", "opened", "measured", "admired", "protected", "found");

    private Prose() {}

    /** About {@code sentences} sentences of prose, different for each seed. */
    public static String paragraph(Random random, int sentences) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(sentence(random));
        }
        return text.toString();
    }

    private static String sentence(Random random) {
        String s = switch (random.nextInt(3)) {
            case 0 -> "the " + pick(random, ADJECTIVES) + " " + pick(random, NOUNS) + " " + pick(random, VERBS)
                    + " the " + pick(random, NOUNS) + " of the " + pick(random, ADJECTIVES) + " " + pick(random, NOUNS);
            case 1 -> "a " + pick(random, NOUNS) + " " + pick(random, VERBS) + " that " + pick(random, ADJECTIVES)
                    + " " + pick(random, NOUNS) + " with a " + pick(random, NOUNS);
            default -> "every " + pick(random, ADJECTIVES) + " " + pick(random, NOUNS) + " and every "
                    + pick(random, NOUNS) + " " + pick(random, VERBS) + " to the " + pick(random, NOUNS);
        };
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    private static String pick(Random random, List<String> words) {
        return words.get(random.nextInt(words.size()));
    }
}
