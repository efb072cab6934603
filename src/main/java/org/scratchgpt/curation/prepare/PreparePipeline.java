package org.scratchgpt.curation.prepare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scratchgpt.UserError;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Utf8Length;
import org.scratchgpt.curation.Verdict;
import org.scratchgpt.curation.clean.EmptyDocuments;
import org.scratchgpt.curation.clean.TextCleaner;
import org.scratchgpt.curation.dedup.ExactDedup;
import org.scratchgpt.curation.dedup.MinHashDedup;
import org.scratchgpt.curation.quality.GopherQuality;
import org.scratchgpt.curation.quality.GopherRepetition;
import org.scratchgpt.curation.read.DocumentReader;
import org.scratchgpt.curation.read.InputFiles;
import org.scratchgpt.curation.redact.PiiRedactor;
import org.scratchgpt.curation.report.PrepareReport;
import org.scratchgpt.curation.shards.TokenShards;
import org.scratchgpt.curation.split.NonEmptySplits;
import org.scratchgpt.curation.split.SplitChooser;
import org.scratchgpt.curation.split.SplitWriter;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.io.NewFolders;
import org.scratchgpt.io.OutputPaths;

/**
 * {@code data prepare}: reads the input documents one at a time, passes each through the stages in order (clean,
 * empty, quality, repetition, exact and MinHash deduplication, redaction) until one removes it, and writes each survivor into its
 * split. Then tokenizes the splits, when asked, and writes the report. Only the current document is in memory
 * (deduplication keeps its own index); the whole output is built in a temporary folder that replaces {@code out}
 * only when complete, so an interrupted run leaves {@code out} as it was and can simply be run again.
 */
public final class PreparePipeline {
    private final PrepareSettings settings;
    private final boolean showProgress;
    private final List<DocumentStage> stages;
    private final SplitChooser splits;

    public PreparePipeline(PrepareSettings settings, boolean showProgress) {
        this.settings = settings;
        this.showProgress = showProgress;
        this.stages = stagesFor(settings);
        this.splits = new SplitChooser(settings.valFraction(), settings.testFraction());
    }

    /** The stages in the order they run; the report lists them in this order, after "read". */
    static List<DocumentStage> stagesFor(PrepareSettings settings) {
        List<DocumentStage> stages = new ArrayList<>();
        stages.add(new TextCleaner());
        stages.add(new EmptyDocuments(settings.keepEmpty()));
        if (settings.quality()) {
            stages.add(new GopherQuality(settings.qualityThresholds()));
            stages.add(new GopherRepetition(settings.repetitionThresholds()));
        }
        stages.addAll(dedupStages(settings));
        if (settings.redact()) {
            stages.add(new PiiRedactor()); // last, as in FineWeb: the filters and dedup see the original text
        }
        return stages;
    }

    /**
     * Exact deduplication, then MinHash near-deduplication (the cheap one first, so MinHash indexes fewer documents),
     * after the filters (no index space spent on documents the filters remove) and before redaction.
     */
    private static List<DocumentStage> dedupStages(PrepareSettings settings) {
        if (settings.minHash() == null) {
            return List.of();
        }
        return List.of(new ExactDedup(), new MinHashDedup(settings.minHash()));
    }

    /** Runs the whole preparation into {@code settings.out()} and returns its report. */
    public PrepareReport run() throws IOException {
        Path out = settings.out();
        requireApartFromInputs(out);
        AtomicFiles.recoverDirectory(out); // the leftovers of an interrupted run are never a reason to refuse
        if (Files.exists(out) && !settings.force()) {
            throw new UserError(out + " already exists: give a new --out folder, or --force to replace it");
        }
        if (settings.tokenizer() != null) {
            TokenShards.requireUsable(settings.tokenizer()); // before the work, not after it
        }
        List<Path> files = InputFiles.expand(settings.inputs());
        List<String> stageNames = new ArrayList<>(List.of(DocumentReader.STAGE));
        stages.forEach(stage -> stageNames.add(stage.name()));
        PrepareReport report = new PrepareReport(stageNames, splits.splits(), settings.forReport());
        NewFolders made = NewFolders.onTheWayTo(out.toAbsolutePath().getParent());
        try {
            AtomicFiles.replaceDirectory(out, fresh -> fill(fresh, files, report));
        } catch (IOException | RuntimeException e) {
            made.removeEmpty();
            throw e;
        }
        return report;
    }

    /**
     * Outputs are never inputs: an --out inside an --input folder would be read back by the next run (its own
     * documents and report counted as new ones), and an --out around an input would delete it when replaced.
     */
    private void requireApartFromInputs(Path out) {
        String fix = "give --out a folder apart from every --input and --tokenizer, e.g. a sibling of them";
        for (Path input : settings.inputs()) {
            OutputPaths.requireApart("--out " + out, out, "--input " + input, input, fix);
        }
        if (settings.tokenizer() != null) {
            OutputPaths.requireApart("--out " + out, out, "--tokenizer " + settings.tokenizer(), settings.tokenizer(),
                    fix);
        }
    }

    private void fill(Path dir, List<Path> files, PrepareReport report) throws IOException {
        try (DocumentReader reader = new DocumentReader(files, settings.textField(), settings.invalidUtf8());
             SplitWriter writer = new SplitWriter(dir, settings.gzip(), settings.partBytes());
             ProgressBar bar = progressBar(InputFiles.totalBytes(files))) {
            writer.makeFolders(splits.splits());
            NonEmptySplits output = new NonEmptySplits(splits, writer,
                    (split, document) -> report.written(split, Utf8Length.of(document.text())));
            while (reader.hasNext()) {
                Verdict read = reader.next();
                report.count(DocumentReader.STAGE, Utf8Length.of(read.document().text()), read, 0);
                if (read.kept()) {
                    passThroughStages(read.document(), output, report);
                }
                if (bar != null) {
                    bar.stepTo(reader.bytesRead() >> 20);
                }
            }
            output.finish().ifPresent(report::note);
            if (report.documentsWritten() == 0) {
                throw NothingKept.of(settings.inputs(), settings.textField(), report, reader.fieldsWithoutText());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (settings.tokenizer() != null) {
            report.tokens(tokenize(dir));
        }
        report.writeInto(dir);
    }

    /** One document through every stage, and into its split if none removed it. */
    private void passThroughStages(Document document, NonEmptySplits output, PrepareReport report) throws IOException {
        long bytes = Utf8Length.of(document.text());
        for (DocumentStage stage : stages) {
            long start = System.nanoTime();
            Verdict verdict = stage.apply(document);
            long nanos = System.nanoTime() - start;
            report.count(stage.name(), bytes, verdict, nanos);
            if (!verdict.kept()) {
                return;
            }
            if (verdict.document() != document) {
                document = verdict.document();
                bytes = Utf8Length.of(document.text());
            }
        }
        output.write(document);
    }

    /** The splits' JSON lines into token shards under {@code dir/tokens}; returns the tokens per split. */
    private Map<String, Long> tokenize(Path dir) throws IOException {
        return TokenShards.tokenize(dir, settings.tokenizer(), settings.threads());
    }

    /** A bar over the input's megabytes, on a terminal only: in a pipe or a log it would be noise. */
    private ProgressBar progressBar(long totalBytes) {
        if (!showProgress) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("prepare").setInitialMax(Math.max(1, totalBytes >> 20))
                .setUnit(" MB", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
    }
}
