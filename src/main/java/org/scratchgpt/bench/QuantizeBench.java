package org.scratchgpt.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.generation.NextTokenSampler;
import org.scratchgpt.generation.NextTokenScores;
import org.scratchgpt.generation.TokenHistory;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.plan.Timing;
import org.scratchgpt.quantize.GenerationWeights;
import org.scratchgpt.quantize.WeightFormat;
import org.scratchgpt.tokens.TokenSequence;
import org.scratchgpt.tokens.TokenWindows;

/**
 * What a weight format costs in quality and buys in speed, on a trained checkpoint: the loss on held-out text (the
 * validation split, the same windows for every format) and the tokens per second of cached greedy generation, with
 * the weights converted as {@code sample} converts them.
 */
public final class QuantizeBench {
    private QuantizeBench() {}

    /** One row of the table: how the model computes, and the format its weights are read in. */
    public record Row(Compute compute, WeightFormat weights) {}

    /** fp32 (the reference), bf16 weights converted once, and int8 with float32 and with bfloat16 compute. */
    public static final List<Row> ROWS = List.of(new Row(new Compute(Precision.FP32, true), WeightFormat.FLOAT32),
            new Row(new Compute(Precision.BF16, true), WeightFormat.SIXTEEN_BIT),
            new Row(new Compute(Precision.FP32, true), WeightFormat.INT8),
            new Row(new Compute(Precision.BF16, true), WeightFormat.INT8));

    /** Fixed windows of the validation split, the same for every format (as training's evaluation draws them). */
    private static final long WINDOWS_SEED = 0x5eed;

    /**
     * @param valLoss mean cross-entropy (nats per token) over the held-out windows
     * @param tokensPerSecond cached greedy generation, the median of three runs
     * @param bytesPerToken the bytes of weights a generation step reads
     */
    public record Result(double valLoss, double tokensPerSecond, long bytesPerToken) {}

    /** What to measure on: the validation tokens, how many windows of them, how many tokens to generate. */
    public record Workload(TokenSequence val, int batches, int batchSize, int newTokens) {}

    /** The checkpoint in {@code dir} computing as {@code compute} says, its weights converted to {@code format}. */
    public static Result measure(Path dir, GptConfig config, Compute compute, WeightFormat format, Workload work,
                                 Device device) throws IOException {
        try (Model model = Model.newInstance("quantize-bench", device)) {
            Gpt gpt = new Gpt(config, compute);
            model.setBlock(gpt);
            Checkpoint.loadInto(model, dir, new Shape(1, config.contextLength()));
            GenerationWeights.convert(gpt, format);
            double loss = valLoss(gpt, model.getNDManager(), work);
            int[] prompt = work.val().read(0, Math.min(16, config.contextLength() / 2));
            double seconds = Timing.medianSeconds(1, 3, () -> generate(gpt, model.getNDManager(), prompt,
                    work.newTokens()));
            return new Result(loss, work.newTokens() / seconds, GenerationWeights.bytesPerToken(gpt));
        }
    }

    /** The mean loss over the workload's windows of the validation split: inference, no dropout. */
    private static double valLoss(Gpt gpt, NDManager modelManager, Workload work) {
        LanguageModelLoss loss = new LanguageModelLoss();
        TokenWindows windows = new TokenWindows(work.val(), work.batchSize(), gpt.config().contextLength(), 1,
                WINDOWS_SEED);
        double sum = 0;
        try (NDManager scratch = modelManager.newSubManager()) {
            ParameterStore store = new ParameterStore(scratch, false);
            for (Batch batch : windows.evaluationBatches(scratch, work.batches(), WINDOWS_SEED)) {
                try (batch) {
                    NDList logits = gpt.forward(store, batch.getData(), false);         // (B, T, V) float32
                    sum += loss.evaluate(batch.getLabels(), logits).getFloat();
                }
            }
        }
        return sum / work.batches();
    }

    /** Greedy generation of {@code newTokens} tokens with the KV cache; returns the last token (keeps it honest). */
    private static long generate(Gpt gpt, NDManager modelManager, int[] prompt, int newTokens) {
        TokenHistory stream = new TokenHistory(prompt);
        int last = 0;
        try (NextTokenScores scores = NextTokenScores.of(gpt, modelManager, true)) {
            for (int i = 0; i < newTokens; i++) {
                last = NextTokenSampler.argmax(scores.next(List.of(stream))[0]);
                stream.append(last);
            }
        }
        return last;
    }
}
