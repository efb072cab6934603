package org.scratchgpt.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.scratchgpt.pictures.LineChart;

/**
 * Draws train and val loss against the step as a PNG next to the checkpoint: a loss curve says at a
 * glance what a column of numbers hides (is it still falling? is val drifting above train, i.e. overfitting?).
 */
public final class LossPlot {
    private LossPlot() {}

    /** One evaluation: the step and the mean train and val loss measured there. */
    public record Point(long step, double trainLoss, double valLoss) {}

    public static void write(Path png, String title, List<Point> points) throws IOException {
        chart(title, points).writePng(png);
    }

    /** The loss curves of a run's or a checkpoint's metrics.jsonl, 800 x 500 unless resized. */
    public static LineChart chart(String title, Path metricsJsonl) throws IOException {
        return chart(title, new MetricsLog(metricsJsonl).evaluations());
    }

    /** The loss curves as a chart, 800 x 500 unless resized: for a notebook, or to draw elsewhere. */
    public static LineChart chart(String title, List<Point> points) {
        double[] steps = points.stream().mapToDouble(Point::step).toArray();
        return LineChart.titled(title).axes("step", "loss (nats per token)").size(800, 500)
                .series("train", steps, points.stream().mapToDouble(Point::trainLoss).toArray())
                .series("val", steps, points.stream().mapToDouble(Point::valLoss).toArray());
    }
}
