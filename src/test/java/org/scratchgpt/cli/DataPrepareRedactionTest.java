package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.curation.Prose;

/**
 * What {@code data prepare}'s redaction does, as its report shows it: each kind's examples show that kind's
 * placeholder (a card number far into a document that starts with an e-mail address too), and the look-alikes that
 * fooled it before stay: a package version with an address-like number inside it, years in a copyright line and
 * a legal clause.
 */
class DataPrepareRedactionTest {
    private static final String VERSION = "libwebm-1.0.0.31-20-g206d268";
    private static final String COPYRIGHT = "Copyright (C) 2003 2004 2005 the authors";
    private static final String CLAUSE = "as set out in clause (1) 2018-2019 of the agreement";

    @TempDir Path dir;

    @Test
    void eachKindsExamplesShowItsPlaceholderAndLookAlikesStay() throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Random random = new Random(7);
        for (int i = 0; i < 4; i++) {
            Files.writeString(corpus.resolve("letter-" + i + ".txt"), "Write to ada" + i + "@example.org. "
                    + Prose.paragraph(random, 8) + " Pay with 4111 1111 1111 1111, or call +44 20 7946 0958. "
                    + Prose.paragraph(random, 4));
        }
        Files.writeString(corpus.resolve("changelog.txt"), Prose.paragraph(random, 6) + " Built with " + VERSION
                + " from 8.8.8.8-r2 sources. " + COPYRIGHT + ". " + Prose.paragraph(random, 3) + " The terms, " + CLAUSE
                + ", apply. " + Prose.paragraph(random, 3));
        Path out = dir.resolve("prepared");

        CliRun prepared = CliRun.of("data", "prepare", "--input", corpus.toString(), "--out", out.toString());
        assertEquals(0, prepared.exitCode(), prepared.err());

        String report = Files.readString(out.resolve("report.md"));
        for (String kind : new String[] {"card:CARD", "email:EMAIL", "phone:PHONE"}) {
            String[] parts = kind.split(":");
            Matcher section = Pattern.compile("### redact, changed: " + parts[0] + "\n\n((?:- .*\n)+)").matcher(report);
            assertTrue(section.find(), parts[0] + " examples missing from:\n" + report);
            for (String example : section.group(1).split("\n")) {
                assertTrue(example.contains("<" + parts[1] + ">"), parts[0] + "'s example shows no <" + parts[1]
                        + ">: " + example);
            }
        }
        String kept = allText(out);
        for (String lookAlike : new String[] {VERSION, "8.8.8.8-r2", COPYRIGHT, CLAUSE}) {
            assertTrue(kept.contains(lookAlike), lookAlike + " was redacted: " + kept);
        }
        assertFalse(kept.contains("4111 1111 1111 1111") || kept.contains("7946 0958") || kept.contains("@example.org"),
                kept);
    }

    /** Every document's text in every split. */
    private static String allText(Path prepared) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(prepared)) {
            for (Path part : files.filter(f -> f.toString().endsWith(".jsonl.gz")).toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(part))) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            JsonObject record = JsonParser.parseString(line).getAsJsonObject();
                            text.append(record.get("text").getAsString()).append('\n');
                        }
                    }
                }
            }
        }
        return text.toString();
    }
}
