package org.scratchgpt.training;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's numbers as JSON lines ({@code metrics.jsonl}): one line per step ({@code "kind": "step"}: loss,
 * learning rate, gradient norm, tokens/s) and one per evaluation ({@code "kind": "eval"}: train and val loss,
 * perplexity, bits per byte). One object per line is easy to append while training and to read with any tool.
 */
final class MetricsLog {
    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * One step's numbers, with three memory readings: NDArrays alive under the model's manager (constant in a
     * healthy run: every step's arrays are freed with its sub-manager), the process's resident memory, and the
     * part of it the Java heap has claimed (the JVM grows its heap lazily; what is left is native memory,
     * where libtorch's tensors live).
     */
    void step(long step, TrainingStep.Result result, double learningRate, double tokensPerSecond, double millisPerStep,
            int liveArrays) throws IOException {
        JsonObject line = new JsonObject();
        line.addProperty("kind", "step");
        line.addProperty("step", step);
        line.addProperty("loss", result.loss());
        line.addProperty("lr", learningRate);
        line.addProperty("grad_norm", result.gradientNorm());
        line.addProperty("tokens_per_sec", tokensPerSecond);
        line.addProperty("ms_per_step", millisPerStep);
        line.addProperty("live_arrays", liveArrays);
        line.addProperty("rss_mb", org.scratchgpt.io.ProcessMemory.residentMegabytes());
        line.addProperty("java_heap_mb", Runtime.getRuntime().totalMemory() / 1048576.0);
        append(line);
    }

    /** A float16 step whose gradients overflowed: not applied; the loss scale was lowered to {@code newScale}. */
    void skipped(long step, TrainingStep.Result result, double newScale) throws IOException {
        JsonObject line = new JsonObject();
        line.addProperty("kind", "skipped");
        line.addProperty("step", step);
        line.addProperty("loss", result.loss());
        line.addProperty("grad_norm", result.gradientNorm());
        line.addProperty("loss_scale", newScale);
        append(line);
    }

    void evaluation(Evaluation.Result result) throws IOException {
        JsonObject line = new JsonObject();
        line.addProperty("kind", "eval");
        line.addProperty("step", result.step());
        line.addProperty("train_loss", result.trainLoss());
        line.addProperty("val_loss", result.valLoss());
        line.addProperty("val_perplexity", result.perplexity());
        line.addProperty("val_bits_per_byte", result.bitsPerByte());
        append(line);
    }


    private void append(JsonObject line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every evaluation logged so far, for the loss plot. */
    List<LossPlot.Point> evaluations() throws IOException {
        List<LossPlot.Point> points = new ArrayList<>();
        for (JsonObject line : lines()) {
            if ("eval".equals(line.get("kind").getAsString())) {
                points.add(new LossPlot.Point(line.get("step").getAsLong(), line.get("train_loss").getAsDouble(),
                        line.get("val_loss").getAsDouble()));
            }
        }
        return points;
    }

    List<JsonObject> lines() throws IOException {
        List<JsonObject> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!text.isBlank()) {
                    lines.add(JsonParser.parseString(text).getAsJsonObject());
                }
            }
        }
        return lines;
    }
}
