package org.scratchgpt.pictures;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * One bar per category, e.g. the probability of each candidate next token, or the parameter count of each part
 * of the model. Several series sit side by side (e.g. the same tokens at temperatures 0.5, 1 and 2).
 */
public final class BarChart extends ChartBuilder<BarChart> {

    private record Series(String name, double[] values) {}

    private final List<String> categories = new ArrayList<>();
    private final List<Series> series = new ArrayList<>();

    private BarChart(String title) {
        super(title);
    }

    public static BarChart titled(String title) {
        return new BarChart(title);
    }

    /** The categories, in the order the bars appear; set once, before the series. */
    public BarChart categories(List<String> names) {
        categories.clear();
        categories.addAll(names);
        return this;
    }

    /** One value per category, named in the legend. */
    public BarChart series(String name, double[] values) {
        if (values.length != categories.size() || values.length == 0) {
            throw new IllegalArgumentException("series " + name + " has " + values.length + " values for "
                    + categories.size() + " categories; set the categories first, then one value for each");
        }
        series.add(new Series(name, values.clone()));
        return this;
    }

    @Override
    public CategoryChart chart() {
        CategoryChart chart = new CategoryChartBuilder().width(width()).height(height()).title(title())
                .xAxisTitle(xAxisTitle()).yAxisTitle(yAxisTitle()).build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 10 ? 90 : 0);
        for (Series s : series) {
            List<Double> values = new ArrayList<>();
            for (double value : s.values()) {
                values.add(value);
            }
            chart.addSeries(s.name(), categories, values);
        }
        return chart;
    }
}
