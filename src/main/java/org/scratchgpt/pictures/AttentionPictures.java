package org.scratchgpt.pictures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import org.scratchgpt.UserError;
import org.scratchgpt.model.AttentionMaps;

/**
 * Attention weights as heatmaps, one panel per head: rows are the tokens that read (queries), columns the tokens
 * they read from (keys), dark for weight 0 and bright for 1. A causal model is dark above the diagonal; a head
 * that looks at the previous token draws a bright line just below it.
 */
public final class AttentionPictures {
    private AttentionPictures() {}

    /** The default size of one panel, in pixels each way. */
    public static final int PANEL = 260;

    /** Every head of one layer, or of every layer when {@code layer} is empty: a row per layer, a column per head. */
    public static Picture heads(String title, AttentionMaps maps, OptionalInt layer) {
        List<Integer> layers = layers(maps, layer);
        return heads(title, maps, layer, maps.heads() * PANEL, layers.size() * PANEL + PanelGrid.TITLE_HEIGHT);
    }

    /** The same at {@code width} x {@code height} pixels. */
    public static Picture heads(String title, AttentionMaps maps, OptionalInt layer, int width, int height) {
        List<Integer> layers = layers(maps, layer);
        return PanelGrid.of(title, layers.size(), maps.heads(), width, height, (row, head, w, h) -> panel(
                "layer " + layers.get(row) + ", head " + head, maps.head(layers.get(row), head), maps.tokens(), w, h));
    }

    /**
     * How the attention on one text changed over training: a row per head (of one layer, or of every layer), a
     * column per step, left to right.
     */
    public static Picture overSteps(String title, SortedMap<Long, AttentionMaps> byStep, OptionalInt layer) {
        AttentionMaps first = firstOf(byStep);
        int rows = layers(first, layer).size() * first.heads();
        return overSteps(title, byStep, layer, byStep.size() * PANEL, rows * PANEL + PanelGrid.TITLE_HEIGHT);
    }

    /** The same at {@code width} x {@code height} pixels. */
    public static Picture overSteps(String title, SortedMap<Long, AttentionMaps> byStep, OptionalInt layer, int width,
            int height) {
        AttentionMaps first = firstOf(byStep);
        List<Integer> layers = layers(first, layer);
        List<Map.Entry<Long, AttentionMaps>> steps = new ArrayList<>(byStep.entrySet());
        for (Map.Entry<Long, AttentionMaps> step : steps) {
            if (!step.getValue().tokens().equals(first.tokens())) {
                throw new UserError("the attention snapshots are of different texts (step " + steps.get(0).getKey()
                        + ": " + first.tokens() + ", step " + step.getKey() + ": " + step.getValue().tokens() + "):"
                        + " draw steps of one text only, e.g. move the others out of the attention/ folder");
            }
        }
        int heads = first.heads();
        return PanelGrid.of(title, layers.size() * heads, steps.size(), width, height, (row, column, w, h) -> {
            int layerIndex = layers.get(row / heads);
            int head = row % heads;
            Map.Entry<Long, AttentionMaps> step = steps.get(column);
            return panel("step " + step.getKey() + ": layer " + layerIndex + ", head " + head,
                    step.getValue().head(layerIndex, head), first.tokens(), w, h);
        });
    }

    /** One head's (T, T) weights as a heatmap of the given size, labelled with the tokens. */
    public static Picture panel(String title, float[][] weights, List<String> tokens, int width, int height) {
        // Labels shrink with the panel so that T of them still fit along an axis.
        int fontSize = Math.max(7, Math.min(12, Math.min(width, height) / (2 * tokens.size() + 4)));
        return Heatmap.titled(title).size(width, height).values(weights, tokens, tokens).labelFontSize(fontSize)
                .picture();
    }

    /** The layers to draw: the one asked for (checked), or all. */
    private static List<Integer> layers(AttentionMaps maps, OptionalInt layer) {
        if (layer.isPresent()) {
            int asked = layer.getAsInt();
            if (asked < 0 || asked >= maps.layers()) {
                throw new UserError("--layer " + asked + ": the model has layers 0 to " + (maps.layers() - 1)
                        + ": give one of them, or leave --layer out to draw every layer");
            }
            return List.of(asked);
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < maps.layers(); i++) {
            all.add(i);
        }
        return all;
    }

    private static AttentionMaps firstOf(SortedMap<Long, AttentionMaps> byStep) {
        if (byStep.isEmpty()) {
            throw new UserError("no attention snapshots to draw: train with --attention-text TEXT to keep some");
        }
        return byStep.get(byStep.firstKey());
    }
}
