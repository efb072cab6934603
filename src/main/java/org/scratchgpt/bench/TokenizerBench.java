package org.scratchgpt.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.scratchgpt.plan.Timing;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokenizer.TokenizerJson;

/**
 * Our BPE tokenizer against HuggingFace's Rust tokenizer (through DJL's binding), in one JVM, on the
 * same text: encoding speed one document at a time and in batches, and training time.
 *
 * <p>Both encoders get the same tokenizer.json and the same documents (the text's paragraphs), and
 * their ids are checked equal before anything is timed: a fast tokenizer that gives other ids would
 * prove nothing.
 */
public final class TokenizerBench {
    private final String text;
    private final List<String> documents;
    private final Path workDir;
    private final int runs;
    private final PrintWriter out;

    public TokenizerBench(String text, Path workDir, int runs, PrintWriter out) {
        this.text = text;
        this.documents = Arrays.stream(text.split("(?<=\n\n)")).toList();
        this.workDir = workDir;
        this.runs = runs;
        this.out = out;
    }

    /** Encoding speed of one tokenizer.json, ours against HuggingFace's. */
    public void encoding(String name, Path tokenizerJson) throws IOException {
        BpeTokenizer ours = (BpeTokenizer) TokenizerJson.load(tokenizerJson);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            checkSameIds(ours, hf);
            double ourOne = Timing.medianSeconds(2, runs, () -> documents.stream().mapToLong(d -> ours.encode(d).length).sum());
            double hfOne = Timing.medianSeconds(2, runs, () -> documents.stream().mapToLong(d -> hf.encode(d).getIds().length).sum());
            double ourBatch = Timing.medianSeconds(2, runs, () -> ours.encodeBatch(documents).stream().mapToLong(ids -> ids.length).sum());
            String[] docs = documents.toArray(String[]::new);
            double hfBatch = Timing.medianSeconds(2, runs, () -> Arrays.stream(hf.batchEncode(docs)).mapToLong(e -> e.getIds().length).sum());
            long tokens = documents.stream().mapToLong(d -> ours.encode(d).length).sum();
            row(name, "one document at a time", tokens / ourOne, tokens / hfOne);
            row(name, "batch of " + documents.size() + " documents", tokens / ourBatch, tokens / hfBatch);
        }
    }

    private void checkSameIds(BpeTokenizer ours, HuggingFaceTokenizer hf) {
        long[] expected = hf.encode(text).getIds();
        int[] actual = ours.encode(text);
        if (!Arrays.equals(expected, Arrays.stream(actual).asLongStream().toArray())) {
            throw new IllegalStateException("our ids differ from HuggingFace's on the benchmark text: a bug, please report it");
        }
    }

    private void row(String name, String mode, double ours, double hf) {
        out.printf("| %-30s | %-28s | %,12.0f | %,12.0f | %5.1fx |%n", name, mode, ours, hf, ours / hf);
        out.flush();
    }

    public void encodingHeader() {
        out.println("| tokenizer                      | mode                         | ours tok/s   | HF tok/s     | ratio |");
        out.println("|--------------------------------|------------------------------|-------------:|-------------:|------:|");
    }

    /** Trains on the text and saves the tokenizer, so the encoding benchmark can use it. */
    public Path trainAndSave(int vocabSize, SplitPattern pattern) throws IOException {
        BpeTokenizer t = new BpeTrainer(vocabSize, 0, List.of(), PreTokenizer.of(pattern), false).train(text);
        Path file = workDir.resolve("bench-" + pattern.name().toLowerCase() + "-" + vocabSize + ".json");
        TokenizerJson.save(t, file);
        return file;
    }

    /** Prints our training time for a vocabulary size (median of {@code runs}) beside HuggingFace's, if given. */
    public void training(String label, int vocabSize, Supplier<Double> hfSeconds) {
        int[] merges = new int[1];
        double seconds = Timing.medianSeconds(1, runs, () -> {
            BpeTokenizer t = new BpeTrainer(vocabSize, 0, List.of(), PreTokenizer.of(SplitPattern.GPT2), false).train(text);
            merges[0] = t.merges().size();
            return merges[0];
        });
        Double hf = hfSeconds == null ? null : hfSeconds.get();
        out.printf("| %-22s | %,8d | %8.3f s | %s |%n", label, merges[0], seconds,
                hf == null ? "       -   " : String.format("%8.3f s", hf));
        out.flush();
    }

    public void trainingHeader() {
        out.println("| training (GPT-2 split)  | merges   | ours       | HF (Rust)  |");
        out.println("|------------------------|---------:|-----------:|-----------:|");
    }

}
