package org.scratchgpt.pictures;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Labelled points in the plane, e.g. token embeddings projected to 2-D by {@link Pca}: tokens the model uses
 * alike land close together. Each point can carry a label, written next to it.
 */
public final class ScatterChart extends ChartBuilder<ScatterChart> {

    private record Group(String name, double[] x, double[] y, List<String> labels) {}

    private final List<Group> groups = new ArrayList<>();

    private ScatterChart(String title) {
        super(title);
    }

    public static ScatterChart titled(String title) {
        return new ScatterChart(title);
    }

    /**
     * A group of points, named in the legend, each with a label drawn beside it ({@code labels} may be empty for
     * none); x, y and non-empty labels are equally long.
     */
    public ScatterChart points(String name, double[] x, double[] y, List<String> labels) {
        if (x.length != y.length || x.length == 0 || !(labels.isEmpty() || labels.size() == x.length)) {
            throw new IllegalArgumentException("points " + name + ": " + x.length + " x, " + y.length + " y and "
                    + labels.size() + " labels; give as many of each, at least one point (or no labels)");
        }
        groups.add(new Group(name, x.clone(), y.clone(), List.copyOf(labels)));
        return this;
    }

    /** Points given as rows of (x, y), e.g. {@link Pca#project}'s result. */
    public ScatterChart points(String name, double[][] xy, List<String> labels) {
        double[] x = new double[xy.length];
        double[] y = new double[xy.length];
        for (int i = 0; i < xy.length; i++) {
            x[i] = xy[i][0];
            y[i] = xy[i][1];
        }
        return points(name, x, y, labels);
    }

    @Override
    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width()).height(height()).title(title())
                .xAxisTitle(xAxisTitle()).yAxisTitle(yAxisTitle()).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(groups.size() > 1);
        chart.getStyler().setMarkerSize(6);
        double lift = labelLift();
        for (Group group : groups) {
            chart.addSeries(group.name(), group.x(), group.y()).setMarker(SeriesMarkers.CIRCLE);
            for (int i = 0; i < group.labels().size(); i++) {
                // In chart coordinates (false: not screen pixels), so the label stays by its point at any size,
                // lifted a little so that it does not cover the marker.
                chart.addAnnotation(new AnnotationText(group.labels().get(i), group.x()[i], group.y()[i] + lift, false));
            }
        }
        return chart;
    }

    /** 3% of the points' vertical spread: how far above its point a label is written. */
    private double labelLift() {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Group group : groups) {
            for (double y : group.y()) {
                low = Math.min(low, y);
                high = Math.max(high, y);
            }
        }
        return high > low ? 0.03 * (high - low) : 0;
    }
}
