package org.scratchgpt.curation.redact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * Replaces personal data with placeholders, so that a model cannot learn (and later recite) someone's address:
 * e-mail addresses ({@code <EMAIL>}), public IPv4 and IPv6 addresses ({@code <IP>}), payment card numbers that pass
 * the Luhn check ({@code <CARD>}) and phone numbers ({@code <PHONE>}), counted per kind. The order matters: a card
 * number grouped by spaces looks like a phone number, and the digits of an e-mail address or an IP address could
 * look like either, so each kind is replaced before the looser patterns after it see the text.
 */
public final class PiiRedactor implements DocumentStage {
    private static final List<PiiPattern> KINDS = List.of(EmailAddresses.pattern(), CardNumbers.pattern(),
            Ipv4Addresses.pattern(), Ipv6Addresses.pattern(), PhoneNumbers.pattern());

    /** The placeholders, for showing examples of redacted text in the report. */
    public static final List<String> PLACEHOLDERS = List.of("<EMAIL>", "<CARD>", "<IP>", "<PHONE>");

    /** The placeholder that replaces personal data of {@code kind} ("card": {@code <CARD>}), or null for no kind. */
    public static String placeholderOf(String kind) {
        return KINDS.stream().filter(k -> k.kind().equals(kind)).map(PiiPattern::placeholder).findFirst().orElse(null);
    }

    @Override
    public String name() {
        return "redact";
    }

    /** {@code text} with its personal data replaced, for showing it where no one asked for it (the report). */
    public static String redacted(String text) {
        for (PiiPattern kind : KINDS) {
            text = kind.redact(text, new int[1]);
        }
        return text;
    }

    @Override
    public Verdict apply(Document document) {
        String text = document.text();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PiiPattern kind : KINDS) {
            int[] replaced = {0};
            text = kind.redact(text, replaced);
            if (replaced[0] > 0) {
                counts.put(kind.kind(), replaced[0]);
            }
        }
        return counts.isEmpty() ? Verdict.keep(document) : Verdict.changed(document.withText(text), counts);
    }
}
