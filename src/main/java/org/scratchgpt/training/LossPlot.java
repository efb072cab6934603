package org.scratchgpt.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.scratchgpt.io.AtomicFiles;

/**
 * Draws train and val loss against the step as a PNG next to the checkpoint: a loss curve says at a
 * glance what a column of numbers hides (is it still falling? is val drifting above train, i.e. overfitting?).
 */
public final class LossPlot {
    private LossPlot() {}

    /** One evaluation: the step and the mean train and val loss measured there. */
    public record Point(long step, double trainLoss, double valLoss) {}

    public static void write(Path png, String title, List<Point> points) throws IOException {
        System.setProperty("java.awt.headless", "true"); // servers and CI have no display
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
                .xAxisTitle("step").yAxisTitle("loss (nats per token)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        double[] steps = points.stream().mapToDouble(Point::step).toArray();
        addSeries(chart, "train", steps, points.stream().mapToDouble(Point::trainLoss).toArray());
        addSeries(chart, "val", steps, points.stream().mapToDouble(Point::valLoss).toArray());
        Path temp = Files.createTempFile(png.toAbsolutePath().getParent(), ".loss", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, temp.toString(), BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(png, Files.readAllBytes(temp));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void addSeries(XYChart chart, String name, double[] steps, double[] losses) {
        XYSeries series = chart.addSeries(name, steps, losses);
        series.setMarker(SeriesMarkers.CIRCLE);
    }
}
