package org.scratchgpt.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scratchgpt.curation.read.DocumentReader;
import org.scratchgpt.curation.read.InvalidUtf8;
import org.scratchgpt.curation.shards.TokenShards;

/**
 * {@code scratchgpt bench data}: megabytes per second of each step of the data stage on a generated corpus
 * ({@link GeneratedCorpus}), measured where the work really runs.
 *
 * <ul>
 *   <li>read: a pass of the document reader alone over the input file;
 *   <li>every stage of {@code data prepare} (clean, quality, dedup, redact, ...): the time the pipeline itself
 *       spent in it, from its {@code report.json}, over the bytes that reached it. Stages are listed from the
 *       report, so one added to the pipeline appears here with no change;
 *   <li>split + write: the rest of the pipeline's wall time (choosing the split, JSON and gzip, the disk);
 *   <li>tokenize: {@link TokenShards#tokenize} over the prepared splits, on the given threads.
 * </ul>
 *
 * The pipeline runs through the real command ({@link PrepareRunner}), so what is timed is what a user runs.
 */
public final class DataBench {
    private static final double MB = 1e6;

    /** Runs {@code data prepare --input input --out out} (without tokenizing), as the command line does. */
    @FunctionalInterface
    public interface PrepareRunner {
        void prepare(Path input, Path out) throws IOException;
    }

    /** One measured step: bytes in, seconds, and so MB/s. */
    public record Step(String name, long bytes, double seconds) {
        public double megabytesPerSecond() {
            return bytes / MB / seconds;
        }
    }

    private DataBench() {}

    /** Generates {@code megabytes} MB in {@code work}, measures every step, prints the table; returns the steps. */
    public static List<Step> run(double megabytes, Path work, Path tokenizer, int threads, PrepareRunner prepare,
            PrintWriter out) throws IOException {
        Path corpus = work.resolve("corpus.jsonl");
        long documents = GeneratedCorpus.write(corpus, (long) (megabytes * MB), 1);
        long corpusBytes = Files.size(corpus);
        out.printf(Locale.ROOT, "Corpus: %,d generated documents, %.1f MB of JSON lines; tokenizer %s, %d thread%s%n%n",
                documents, corpusBytes / MB, tokenizer, threads, threads == 1 ? "" : "s");
        out.flush();

        List<Step> steps = new ArrayList<>();
        steps.add(read(corpus, corpusBytes));
        Path prepared = work.resolve("prepared");
        long start = System.nanoTime();
        prepare.prepare(corpus, prepared);
        double pipelineSeconds = (System.nanoTime() - start) / 1e9;
        JsonObject report = JsonParser.parseString(Files.readString(prepared.resolve("report.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        List<Step> stages = stagesOf(report);
        steps.addAll(stages);
        long writtenBytes = writtenBytes(report);
        double rest = pipelineSeconds - steps.get(0).seconds() - stages.stream().mapToDouble(Step::seconds).sum();
        steps.add(new Step("split + write", writtenBytes, Math.max(rest, 1e-9)));

        start = System.nanoTime();
        Map<String, Long> tokens = TokenShards.tokenize(prepared, tokenizer,
                new TokenShards.Options(threads, TokenShards.DEFAULT_TOKENS_PER_SHARD, false));
        steps.add(new Step("tokenize", writtenBytes, (System.nanoTime() - start) / 1e9));

        print(steps, out);
        out.printf(Locale.ROOT, "%nprepare wall time %.1f s for %.1f MB in: %.2f MB/s end to end (without"
                + " tokenizing); tokens per split %s%n", pipelineSeconds, corpusBytes / MB,
                corpusBytes / MB / pipelineSeconds, tokens);
        out.flush();
        return steps;
    }

    private static Step read(Path corpus, long bytes) throws IOException {
        long start = System.nanoTime();
        long documents = 0;
        try (DocumentReader reader = new DocumentReader(List.of(corpus), "text", InvalidUtf8.DROP)) {
            while (reader.hasNext()) {
                documents += reader.next().kept() ? 1 : 0;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Step(documents > 0 ? "read" : "read (nothing read!)", bytes, seconds);
    }

    /** The stages of the report after "read", each with the bytes that reached it and the time spent in it. */
    private static List<Step> stagesOf(JsonObject report) {
        List<Step> stages = new ArrayList<>();
        for (JsonElement element : report.getAsJsonArray("stages")) {
            JsonObject stage = element.getAsJsonObject();
            String name = stage.get("name").getAsString();
            if (!name.equals("read")) {
                stages.add(new Step(name, stage.get("bytes_in").getAsLong(), stage.get("seconds").getAsDouble()));
            }
        }
        return stages;
    }

    private static long writtenBytes(JsonObject report) {
        long bytes = 0;
        for (Map.Entry<String, JsonElement> split : report.getAsJsonObject("splits").entrySet()) {
            bytes += split.getValue().getAsJsonObject().get("bytes").getAsLong();
        }
        return bytes;
    }

    private static void print(List<Step> steps, PrintWriter out) {
        out.printf(Locale.ROOT, "%-16s %10s %10s %10s%n", "step", "MB in", "seconds", "MB/s");
        for (Step step : steps) {
            out.printf(Locale.ROOT, "%-16s %10.1f %10.2f %10.2f%n", step.name(), step.bytes() / MB, step.seconds(),
                    step.megabytesPerSecond());
        }
    }
}
