package org.scratchgpt.pictures;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Lines through points: loss against step, learning rate against step, bytes per token against vocabulary size.
 * Each series is drawn with markers at its points, so a short run's few evaluations stay visible.
 */
public final class LineChart extends ChartBuilder<LineChart> {

    private record Series(String name, double[] x, double[] y) {}

    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;

    private LineChart(String title) {
        super(title);
    }

    public static LineChart titled(String title) {
        return new LineChart(title);
    }

    /** One line, named in the legend; x and y are equally long. */
    public LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values and " + y.length
                    + " y values; give as many of each, at least one");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** A logarithmic x axis, e.g. for vocabulary sizes from 256 to 50k. */
    public LineChart logX() {
        this.logX = true;
        return this;
    }

    /** A logarithmic y axis, e.g. for a loss that falls by orders of magnitude. */
    public LineChart logY() {
        this.logY = true;
        return this;
    }

    @Override
    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width()).height(height()).title(title())
                .xAxisTitle(xAxisTitle()).yAxisTitle(yAxisTitle()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendVisible(series.size() > 1);
        for (Series s : series) {
            XYSeries added = chart.addSeries(s.name(), s.x(), s.y());
            added.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
