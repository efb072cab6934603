package org.scratchgpt.pictures;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.HeatMapSeries;

/**
 * A matrix as coloured cells, row 0 at the top as a matrix is written: dark for the low end of the range, bright
 * for the high end. Attention weights are its main use: rows are the tokens that read (queries), columns the
 * tokens they read from (keys), so a causal model's picture is dark above the diagonal.
 */
public final class Heatmap extends ChartBuilder<Heatmap> {

    /** The colour of the lowest value (viridis' dark end). */
    public static final Color DARK = new Color(68, 1, 84);
    /** The colour halfway up the range. */
    public static final Color MIDDLE = new Color(33, 145, 140);
    /** The colour of the highest value (viridis' bright end). */
    public static final Color BRIGHT = new Color(253, 231, 37);

    private double[][] values = new double[0][0];
    private List<String> columnLabels = List.of();
    private List<String> rowLabels = List.of();
    private double min = 0;
    private double max = 1;
    private int labelFontSize = 11;

    private Heatmap(String title) {
        super(title);
    }

    public static Heatmap titled(String title) {
        return new Heatmap(title);
    }

    /** values[row][column], with a label for every row and column (e.g. the tokens). */
    public Heatmap values(float[][] values, List<String> rowLabels, List<String> columnLabels) {
        double[][] copy = new double[values.length][];
        for (int row = 0; row < values.length; row++) {
            copy[row] = new double[values[row].length];
            for (int column = 0; column < copy[row].length; column++) {
                copy[row][column] = values[row][column];
            }
        }
        return values(copy, rowLabels, columnLabels);
    }

    /** values[row][column], with a label for every row and column. */
    public Heatmap values(double[][] values, List<String> rowLabels, List<String> columnLabels) {
        for (double[] row : values) {
            if (row.length != columnLabels.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " values for " + columnLabels.size()
                        + " column labels");
            }
        }
        if (values.length != rowLabels.size() || values.length == 0) {
            throw new IllegalArgumentException(values.length + " rows for " + rowLabels.size() + " row labels");
        }
        this.values = values;
        this.rowLabels = List.copyOf(rowLabels);
        this.columnLabels = List.copyOf(columnLabels);
        return this;
    }

    /** The values drawn DARK and BRIGHT (default 0 and 1, a weight's range); values outside are clamped. */
    public Heatmap range(double min, double max) {
        this.min = min;
        this.max = max;
        return this;
    }

    /** The size of the row and column labels, smaller for small panels. */
    public Heatmap labelFontSize(int points) {
        this.labelFontSize = points;
        return this;
    }

    @Override
    public HeatMapChart chart() {
        HeatMapChart chart = new HeatMapChartBuilder().width(width()).height(height()).title(title())
                .xAxisTitle(xAxisTitle()).yAxisTitle(yAxisTitle()).build();
        var styler = chart.getStyler();
        styler.setRangeColors(new Color[] {DARK, MIDDLE, BRIGHT});
        styler.setLegendVisible(false); // the range is fixed (0 to 1 for weights): the picture's title says so
        styler.setPlotContentSize(1.0); // cells fill the plot, no margin inside the axes
        styler.setXAxisLabelRotation(90);
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, labelFontSize));
        styler.setXAxisTitleVisible(!xAxisTitle().isEmpty());
        styler.setYAxisTitleVisible(!yAxisTitle().isEmpty());
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, labelFontSize + 2));
        HeatMapSeries series = chart.addSeries(title(), columnLabels, bottomUp(rowLabels), cells());
        series.setMin(min);
        series.setMax(max);
        return chart;
    }

    /** XChart counts rows from the bottom; a matrix is read from the top. */
    private static List<String> bottomUp(List<String> labels) {
        List<String> reversed = new ArrayList<>(labels);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    /** Every cell as XChart takes it: (column, row counted from the bottom, value). */
    private List<Number[]> cells() {
        List<Number[]> cells = new ArrayList<>();
        int rows = values.length;
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < values[row].length; column++) {
                cells.add(new Number[] {column, rows - 1 - row, values[row][column]});
            }
        }
        return cells;
    }
}
