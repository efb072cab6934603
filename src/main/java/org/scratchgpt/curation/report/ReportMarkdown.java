package org.scratchgpt.curation.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code report.md}: the report as Markdown tables, for a person to read after {@code data prepare}. */
final class ReportMarkdown {
    private final StringBuilder md = new StringBuilder();

    private ReportMarkdown() {}

    static String of(PrepareReport report) {
        ReportMarkdown out = new ReportMarkdown();
        out.stages(report);
        out.rules(report);
        out.splits(report);
        out.examples(report);
        return out.md.toString();
    }

    private void stages(PrepareReport report) {
        md.append("# Data preparation report\n\n## Stages\n\n")
                .append("| stage | documents in | documents out | removed | changed | bytes in | bytes out | MB/s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StageTally t : report.stages()) {
            double seconds = t.nanos / 1e9;
            String speed = seconds > 0 ? String.format(Locale.ROOT, "%.1f", t.bytesIn / 1e6 / seconds) : "-";
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %s |%n", t.stage,
                    t.documentsIn, t.documentsOut, t.documentsIn - t.documentsOut, t.documentsChanged, t.bytesIn,
                    t.bytesOut, speed));
        }
    }

    private void rules(PrepareReport report) {
        md.append("\n## Removed by rule, changed by kind\n\n| stage | rule or change | count |\n|---|---|---:|\n");
        for (StageTally t : report.stages()) {
            t.removedBy.forEach((rule, n) -> md.append("| " + t.stage + " | removed: " + rule + " | " + n + " |\n"));
            t.changes.forEach((kind, n) -> md.append("| " + t.stage + " | changed: " + kind + " | " + n + " |\n"));
        }
    }

    private void splits(PrepareReport report) {
        md.append("\n## Splits\n\n| split | documents | bytes | tokens |\n|---|---:|---:|---:|\n");
        report.splits().forEach((name, t) -> md.append("| " + name + " | " + t.documents + " | " + t.bytes + " | "
                + (t.tokens == null ? "not tokenized" : t.tokens) + " |\n"));
        report.notes().forEach(note -> md.append("\nNote: ").append(note).append(".\n"));
    }

    private void examples(PrepareReport report) {
        md.append("\n## Examples\n\nExcerpts, with any personal data in them redacted; ⏎ marks a line break.\n");
        for (StageTally t : report.stages()) {
            exampleList(t.stage, "removed", t.removedExamples);
            exampleList(t.stage, "changed", t.changedExamples);
        }
    }

    private void exampleList(String stage, String what, Map<String, List<StageTally.Example>> examples) {
        examples.forEach((key, list) -> {
            md.append("\n### ").append(stage).append(", ").append(what).append(": ").append(key).append("\n\n");
            for (StageTally.Example e : list) {
                md.append("- `").append(e.id().replace("`", "'")).append("`: `").append(oneLine(e.excerpt())).append('`')
                        .append('\n');
            }
        });
    }

    /** An excerpt as one code span: line breaks shown as ⏎, backticks (which would end the span) as quotes. */
    private static String oneLine(String text) {
        return text.replace("\r", "").replace("\n", " ⏎ ").replace('`', '\'');
    }
}
