package org.scratchgpt.pictures;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What every chart has: a title, axis titles and a size in pixels; each kind of chart adds its data. Use it as
 * {@code LineChart.titled("loss").axes("step", "nats per token").size(800, 500).series(...).picture()}.
 *
 * @param <B> the kind of chart, so that the settings chain
 */
public abstract class ChartBuilder<B extends ChartBuilder<B>> {

    static {
        Headless.ensure();
    }

    private final String title;
    private String xAxisTitle = "";
    private String yAxisTitle = "";
    private int width = 800;
    private int height = 500;

    ChartBuilder(String title) {
        this.title = title;
    }

    /** The titles of the x axis and the y axis. */
    public B axes(String xTitle, String yTitle) {
        this.xAxisTitle = xTitle;
        this.yAxisTitle = yTitle;
        return self();
    }

    /** The picture's size in pixels (default 800 x 500). */
    public B size(int width, int height) {
        PictureSize.check(width, height);
        this.width = width;
        this.height = height;
        return self();
    }

    /** The XChart object, for styling beyond these settings. */
    public abstract Chart<?, ?> chart();

    /** The chart drawn: exactly the size asked for, with the title given. */
    public Picture picture() {
        return Picture.of(chart());
    }

    /** Draws the chart into a PNG (atomically) and returns its path. */
    public Path writePng(Path png) throws IOException {
        return picture().writePng(png);
    }

    String title() {
        return title;
    }

    String xAxisTitle() {
        return xAxisTitle;
    }

    String yAxisTitle() {
        return yAxisTitle;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
