package org.scratchgpt.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.dedup.ExactDedup;
import org.scratchgpt.curation.dedup.LshBands;
import org.scratchgpt.curation.dedup.MinHashDedup;
import org.scratchgpt.curation.dedup.MinHashSettings;
import org.scratchgpt.curation.dedup.SyntheticText;
import org.scratchgpt.plan.Timing;

/**
 * {@code scratchgpt bench dedup}: the speed (MB/s of document text) and the memory (heap bytes per kept document) of
 * the two deduplication stages on a generated corpus, and a streaming run of many documents to check what fits in a
 * capped heap. {@link #measure} times any {@link DocumentStage} the same way, for the data benchmark's table.
 */
public final class DedupBench {
    /** One stage's measurement over a corpus. */
    public record Result(String stage, double seconds, double cpuSeconds, long textBytes, int documents, int removed,
            long memoryBytes) {
        public double megabytesPerSecond() {
            return textBytes / 1e6 / seconds;
        }

        /** MB per second of this thread's CPU time: what the stage does on a core of its own, on a shared machine. */
        public double megabytesPerCpuSecond() {
            return textBytes / 1e6 / cpuSeconds;
        }

        public double bytesPerKeptDocument() {
            return (double) memoryBytes / Math.max(1, documents - removed);
        }
    }

    private DedupBench() {
    }

    /**
     * About {@code megabytes} MB of generated documents of 150 to 400 words (1 to 3 KB), of which one in 20 is an
     * exact copy and one in 20 a near copy (a few word edits) of an earlier one.
     */
    public static List<Document> corpus(double megabytes, long seed) {
        SyntheticText text = new SyntheticText(seed, 20_000);
        List<Document> documents = new ArrayList<>();
        long bytes = 0;
        while (bytes < megabytes * 1e6) {
            int kind = text.nextInt(20);
            String body;
            if (kind == 0 && !documents.isEmpty()) {
                body = documents.get(text.nextInt(documents.size())).text();
            } else if (kind == 1 && !documents.isEmpty()) {
                body = text.nearCopy(documents.get(text.nextInt(documents.size())).text(), 1 + text.nextInt(5));
            } else {
                body = text.document(150 + text.nextInt(250));
            }
            documents.add(new Document("doc-" + documents.size(), "generated", body));
            bytes += body.getBytes(StandardCharsets.UTF_8).length;
        }
        return documents;
    }

    /**
     * The median time of {@code runs} passes of a fresh stage over {@code corpus} (after one warm-up pass), how many
     * documents it removed, and the memory it reports after a pass.
     */
    public static <S extends DocumentStage> Result measure(Supplier<S> freshStage, ToLongFunction<S> memoryBytes,
            List<Document> corpus, int runs) {
        long textBytes = corpus.stream().mapToLong(d -> d.text().getBytes(StandardCharsets.UTF_8).length).sum();
        int[] removed = new int[1];
        long[] memory = new long[1];
        String[] name = new String[1];
        double[] cpuSeconds = new double[runs + 1];
        int[] pass = new int[1];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double seconds = Timing.medianSeconds(1, runs, () -> {
            long cpuStart = threads.getCurrentThreadCpuTime();
            S stage = freshStage.get();
            int count = 0;
            for (Document document : corpus) {
                count += stage.apply(document).kept() ? 0 : 1;
            }
            removed[0] = count;
            memory[0] = memoryBytes.applyAsLong(stage);
            name[0] = stage.name();
            cpuSeconds[pass[0]++] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            return count;
        });
        // the warm-up pass is the first entry: leave it out of the median
        double cpuMedian = Timing.median(Arrays.copyOfRange(cpuSeconds, 1, runs + 1));
        return new Result(name[0], seconds, cpuMedian, textBytes, corpus.size(), removed[0], memory[0]);
    }

    /** Prints the S-curve, then the speed table of both stages over about {@code megabytes} MB. */
    public static void speed(PrintWriter out, double megabytes, int runs) {
        printSCurve(out, MinHashSettings.FINEWEB.lsh());
        List<Document> corpus = corpus(megabytes, 1);
        out.printf(Locale.ROOT, "%nCorpus: %d generated documents (150-400 words, 5%% exact and 5%% near copies);"
                + " median of %d passes after a warm-up%n", corpus.size(), runs);
        out.println("| stage | MB/s (wall) | MB per CPU-second | documents/s | removed | heap bytes per kept document |");
        out.println("|---|---:|---:|---:|---:|---:|");
        printRow(out, measure(ExactDedup::new, ExactDedup::memoryBytes, corpus, runs));
        printRow(out, measure(MinHashDedup::new, MinHashDedup::memoryBytes, corpus, runs));
    }

    /**
     * Streams {@code documents} generated documents of 40 to 80 words (no list is kept, so only the stages' memory
     * grows) through exact then MinHash deduplication, and prints the heap they hold: run it with the heap capped
     * (SCRATCHGPT_JAVA_OPTS=-Xmx512m) to see how many documents fit.
     */
    public static void scale(PrintWriter out, int documents) {
        SyntheticText text = new SyntheticText(2, 20_000);
        ExactDedup exact = new ExactDedup();
        MinHashDedup minHash = new MinHashDedup();
        long start = System.nanoTime();
        int removed = 0;
        for (int i = 0; i < documents; i++) {
            Document document = new Document("doc-" + i, "generated", text.document(40 + text.nextInt(41)));
            if (!exact.apply(document).kept() || !minHash.apply(document).kept()) {
                removed++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%nStreamed %,d documents in %.1f s (%d removed), max heap %d MB:%n", documents, seconds,
                removed, Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "  exact dedup:  %,d bytes held, %.1f per kept document%n", exact.memoryBytes(),
                (double) exact.memoryBytes() / exact.distinctTexts());
        out.printf(Locale.ROOT, "  MinHash LSH:  %,d bytes held, %.1f per kept document%n", minHash.memoryBytes(),
                (double) minHash.memoryBytes() / minHash.keptDocuments());
    }

    static void printSCurve(PrintWriter out, LshBands lsh) {
        out.printf(Locale.ROOT, "MinHash LSH, %d bands x %d rows: P(candidate) = 1 - (1 - s^%d)^%d, steepest at s = %.3f%n",
                lsh.bands(), lsh.rows(), lsh.rows(), lsh.bands(), lsh.steepestSimilarity());
        out.println("| Jaccard s | 0.5 | 0.6 | 0.7 | 0.75 | 0.8 | 0.85 | 0.9 | 0.95 |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        StringBuilder row = new StringBuilder("| P(candidate) |");
        for (double s : new double[] {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}) {
            row.append(String.format(Locale.ROOT, " %.4f |", lsh.candidateProbability(s)));
        }
        out.println(row);
    }

    private static void printRow(PrintWriter out, Result result) {
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %,.0f | %d of %d | %.0f |%n", result.stage(),
                result.megabytesPerSecond(), result.megabytesPerCpuSecond(), result.documents() / result.seconds(), result.removed(), result.documents(),
                result.bytesPerKeptDocument());
    }
}
