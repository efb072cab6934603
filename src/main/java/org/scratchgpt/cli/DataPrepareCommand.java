package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchgpt.UserError;
import org.scratchgpt.config.ByteSize;
import org.scratchgpt.curation.dedup.MinHashSettings;
import org.scratchgpt.curation.prepare.PreparePipeline;
import org.scratchgpt.curation.prepare.PrepareSettings;
import org.scratchgpt.curation.read.InvalidUtf8;
import org.scratchgpt.curation.report.PrepareReport;
import org.scratchgpt.curation.split.SplitChooser;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.io.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt data prepare --input PATH... --out DIR}: raw documents in; cleaned, filtered, redacted documents
 * out, split into train/val(/test) as JSON lines, with a report (see {@link PreparePipeline}).
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Clean, filter, deduplicate, redact and split documents into train/val JSON lines, with a report.")
final class DataPrepareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "PATH", required = true, arity = "1..*",
            description = "Text files, .jsonl or .jsonl.gz files, or folders of them (read recursively).")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The folder to write; must not exist.")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = "text",
            description = "The field of a JSON line that holds the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--invalid-utf8", paramLabel = "drop|repair", defaultValue = "drop",
            description = "A document that is not valid UTF-8: drop it, or repair it with U+FFFD (default: ${DEFAULT-VALUE}).")
    String invalidUtf8;

    @Option(names = "--keep-empty", description = "Keep documents that are empty after cleaning (default: drop them).")
    boolean keepEmpty;

    @Mixin QualityOptions quality;

    @Option(names = "--no-dedup", description = "Keep exact and near duplicates.")
    boolean noDedup;

    @Option(names = "--minhash-threshold", paramLabel = "JACCARD", defaultValue = "0.75",
            description = "Near duplicates: estimated Jaccard similarity of word 5-grams at least this (default: ${DEFAULT-VALUE}).")
    double minHashThreshold;

    @Option(names = "--minhash-bands", paramLabel = "B", defaultValue = "14",
            description = "MinHash LSH bands (default: ${DEFAULT-VALUE}, as FineWeb).")
    int minHashBands;

    @Option(names = "--minhash-rows", paramLabel = "R", defaultValue = "8",
            description = "MinHash values per band (default: ${DEFAULT-VALUE}, as FineWeb).")
    int minHashRows;

    @Option(names = "--no-redact", description = "Leave e-mail addresses, IPs, phone and card numbers in the text.")
    boolean noRedact;

    @Option(names = "--val-fraction", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "The share of documents for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--test-fraction", paramLabel = "FRACTION", defaultValue = "0",
            description = "The share of documents for a test split (default: ${DEFAULT-VALUE}, none).")
    double testFraction;

    @Option(names = "--no-gzip", description = "Write plain .jsonl files instead of .jsonl.gz.")
    boolean noGzip;

    @Option(names = "--part-size", paramLabel = "SIZE", defaultValue = "128MB",
            description = "Start a new part file after this much text (default: ${DEFAULT-VALUE}).")
    String partSize;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Also tokenize the splits into token shards with this tokenizer.json.")
    Path tokenizer;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for tokenizing (default: the CPU count).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        OutputPaths.requireWritableFolder("the prepared folder", out, "give --out a folder, e.g. datasets/prepared");
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        OptionChecks.requireAtLeast("--threads", threadCount, 1, "how many threads to tokenize with, e.g. 4");
        PrepareSettings settings = PrepareSettings.builder().inputs(inputs).out(out).force(force).textField(textField)
                .invalidUtf8(invalidUtf8()).keepEmpty(keepEmpty)
                .quality(!quality.off).qualityThresholds(quality.quality()).repetitionThresholds(quality.repetition())
                .minHash(minHash()).redact(!noRedact).valFraction(valFraction).testFraction(testFraction)
                .gzip(!noGzip).partBytes(ByteSize.parse(partSize)).tokenizer(tokenizer).threads(threadCount).build();
        boolean onTerminal = Terminal.onStandardError();
        PrepareReport report = new PreparePipeline(settings, onTerminal).run();
        PrintWriter printed = spec.commandLine().getOut();
        report.notes().forEach(printed::println);
        printed.println("prepared " + report.documentsWritten() + " documents into " + out + " ("
                + SplitChooser.TRAIN + " " + report.documentsWritten(SplitChooser.TRAIN) + ", "
                + SplitChooser.VAL + " " + report.documentsWritten(SplitChooser.VAL) + ", "
                + SplitChooser.TEST + " " + report.documentsWritten(SplitChooser.TEST) + "); report: "
                + out.resolve("report.md"));
        return 0;
    }

    private MinHashSettings minHash() {
        MinHashSettings fineWeb = MinHashSettings.FINEWEB;
        return noDedup ? null
                : new MinHashSettings(fineWeb.shingleWords(), minHashBands, minHashRows, minHashThreshold, fineWeb.seed());
    }

    private InvalidUtf8 invalidUtf8() {
        return switch (invalidUtf8.toLowerCase(Locale.ROOT)) {
            case "drop" -> InvalidUtf8.DROP;
            case "repair" -> InvalidUtf8.REPAIR;
            default -> throw new UserError("--invalid-utf8 " + invalidUtf8
                    + " is not known: give drop or repair");
        };
    }
}
