package org.scratchgpt.curation.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Prose;
import org.scratchgpt.curation.Verdict;

class PiiRedactorTest {
    private final PiiRedactor redactor = new PiiRedactor();

    /** Personal data planted in prose: every one must go, and be counted under its kind. */
    @Test
    void redactsEveryPlantedItemAndCountsItsKind() {
        Random random = new Random(13);
        List<String> planted = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Map<String, List<String>> byKind = Map.of(
                "email", List.of("jane.doe@example.com", "j_smith+news@mail.co.uk", "x.y-z@sub.domain.org"),
                "ipv4", List.of("8.8.8.8", "93.184.216.34", "1.2.3.4", "203.0.114.7", "172.32.0.1"),
                "ipv6", List.of("2606:4700:4700::1111", "2a00:1450:4007:80f::200e",
                        "2001:4860:4860:0:0:0:0:8888"),
                "phone", List.of("+1 415 555 0134", "(415) 555-0134", "020 7946 0958", "+49 30 1234 5678",
                        "415.555.0199"),
                "card", List.of(luhnValid(random, 16, " "), luhnValid(random, 16, "-"), luhnValid(random, 16, ""),
                        luhnValid(random, 15, ""), luhnValid(random, 13, "")));
        byKind.forEach((kind, items) -> {
            for (String item : items) {
                planted.add(item);
                text.append(Prose.paragraph(random, 2)).append(" Write to ").append(item).append(". ");
            }
        });

        Verdict verdict = redactor.apply(new Document("d", "s", text.toString()));

        String redacted = verdict.document().text();
        for (String item : planted) {
            assertFalse(redacted.contains(item), item + " left in: " + redacted);
        }
        byKind.forEach((kind, items) -> assertEquals(items.size(), verdict.changes().get(kind), kind));
    }

    /** Tightened against version strings and years, the patterns still find what stands on its own in text. */
    @ParameterizedTest
    @ValueSource(strings = {"dns at 8.8.8.8.", "(8.8.8.8)", "8.8.8.8:53", "ip=8.8.8.8, mask", "call 415-555-0134",
        "+1 2003 2004 2005", "phone: 020 7946 0958", "tel (212) 555-0100"})
    void addressesAndNumbersStandingOnTheirOwnAreStillFound(String text) {
        Verdict verdict = redactor.apply(new Document("d", "s", text));

        assertEquals(1, verdict.changes().values().stream().mapToInt(Integer::intValue).sum(), verdict.changes()
                + " in: " + verdict.document().text());
    }

    /** Look-alikes of personal data that must stay as they are. */
    @ParameterizedTest
    @ValueSource(strings = {
        "the router at 192.168.1.1 and 10.0.0.254", "localhost is 127.0.0.1", "docs use 192.0.2.44 and 203.0.113.9",
        "link-local 169.254.10.1, shared 100.64.1.1, multicast 224.0.0.251", "a broadcast to 255.255.255.255",
        "release v1.2.3.4 is out", "version 1.2.3 and 1.2.3.4.5", "octets 256.1.1.1 and 01.02.03.04",
        "ipv6 loopback ::1, link-local fe80::1, unique local fd12:3456:789a::1, docs 2001:db8::42",
        "at 12:30:45 we call std::move", "card 4111 1111 1111 1112 fails the check",
        "order 1234567812345678 is no card", "mail root@localhost or @scratchgpt or jane at example dot com",
        "on 2024-01-15 at 10.30 the price was 100 000 000 coins", "ISBN 978-3-16-148410-0",
        "built with libwebm-1.0.0.31-20-g206d268 and ffmpeg-8.8.8.8-r2", "Copyright (C) 2003 2004 2005 the authors",
        "as set out in clause (1) 2018-2019 of the agreement", "between 1990 2000 2010 and now",
    })
    void keepsLookAlikes(String text) {
        Verdict verdict = redactor.apply(new Document("d", "s", text));

        assertTrue(verdict.changes().isEmpty(), verdict.changes() + " in: " + verdict.document().text());
        assertEquals(text, verdict.document().text());
    }

    @Test
    void replacesEachKindWithItsPlaceholder() {
        String text = "Mail a.b@example.com from 8.8.4.4 or 2606:4700::6810:84e5, call (212) 555-0100,"
                + " pay with 4111-1111-1111-1111.";

        String redacted = redactor.apply(new Document("d", "s", text)).document().text();

        assertEquals("Mail <EMAIL> from <IP> or <IP>, call <PHONE>, pay with <CARD>.", redacted);
    }

    @Test
    void theLuhnCheckAgreesWithKnownNumbers() {
        assertTrue(CardNumbers.passesLuhn("4111111111111111")); // Visa's test number
        assertTrue(CardNumbers.passesLuhn("378282246310005")); // American Express's
        assertTrue(CardNumbers.passesLuhn("79927398713")); // the textbook example
        assertFalse(CardNumbers.passesLuhn("79927398710"));
        assertFalse(CardNumbers.passesLuhn("4111111111111112"));
    }

    /**
     * A random card number of {@code length} digits with a valid check digit, computed here by the weights formula
     * (the sum of the digits of 2*d at odd positions from the right, plus the others, is 0 mod 10), not by the
     * code under test.
     */
    private static String luhnValid(Random random, int length, String separator) {
        int[] digits = new int[length];
        digits[0] = 4;
        for (int i = 1; i < length - 1; i++) {
            digits[i] = random.nextInt(10);
        }
        int sum = 0;
        for (int i = length - 2, fromRight = 1; i >= 0; i--, fromRight++) {
            int d = fromRight % 2 == 1 ? digits[i] * 2 : digits[i];
            sum += d / 10 + d % 10;
        }
        digits[length - 1] = (10 - sum % 10) % 10;
        StringBuilder number = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0 && i % 4 == 0) {
                number.append(separator);
            }
            number.append(digits[i]);
        }
        return number.toString();
    }
}
