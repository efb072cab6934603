package org.scratchgpt.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.model.AttentionMaps;

/** Every kind of picture comes out at the size asked for, with the title asked for: in the chart, the image and the PNG. */
class PictureSizeAndTitleTest {
    @TempDir Path dir;

    private static final double[] X = {0, 1, 2, 3};
    private static final double[] Y = {4.2, 2.5, 2.0, 1.8};

    @Test
    void aLineChart() throws Exception {
        LineChart chart = LineChart.titled("loss of baby").axes("step", "loss").size(640, 420)
                .series("train", X, Y).series("val", X, Y);
        assertEquals("loss of baby", chart.chart().getTitle());
        assertSizeAndTitle(chart.picture(), 640, 420, "loss of baby");
    }

    @Test
    void aLogarithmicLineChart() throws Exception {
        assertSizeAndTitle(LineChart.titled("bytes per token").size(500, 300).logX()
                .series("bpe", new double[] {256, 512, 1024}, new double[] {1, 1.8, 2.4}).picture(), 500, 300,
                "bytes per token");
    }

    @Test
    void aScatterChartWithLabels() throws Exception {
        ScatterChart chart = ScatterChart.titled("token embeddings").size(700, 700)
                .points("tokens", new double[][] {{0, 1}, {1, 0}, {2, 2}}, List.of("a", "b", "c"));
        assertEquals("token embeddings", chart.chart().getTitle());
        assertSizeAndTitle(chart.picture(), 700, 700, "token embeddings");
    }

    @Test
    void aBarChart() throws Exception {
        BarChart chart = BarChart.titled("next token").size(900, 400).categories(List.of("a", "b", "c"))
                .series("T = 1", new double[] {0.5, 0.3, 0.2}).series("T = 2", new double[] {0.4, 0.33, 0.27});
        assertEquals("next token", chart.chart().getTitle());
        assertSizeAndTitle(chart.picture(), 900, 400, "next token");
    }

    @Test
    void aHeatmap() throws Exception {
        Heatmap chart = Heatmap.titled("causal mask").size(300, 320)
                .values(new double[][] {{1, 0}, {1, 1}}, List.of("a", "b"), List.of("a", "b"));
        assertEquals("causal mask", chart.chart().getTitle());
        assertSizeAndTitle(chart.picture(), 300, 320, "causal mask");
    }

    @Test
    void attentionOfEveryHeadAndOverSteps() throws Exception {
        float[][] head = {{1, 0}, {0.5f, 0.5f}};
        AttentionMaps maps = new AttentionMaps(List.of("a", "b"), new float[][][][] {{head, head, head}, {head, head, head}});
        assertSizeAndTitle(AttentionPictures.heads("all heads", maps, OptionalInt.empty(), 777, 555), 777, 555,
                "all heads");
        Picture defaultSize = AttentionPictures.heads("layer 1", maps, OptionalInt.of(1));
        assertSizeAndTitle(defaultSize, 3 * AttentionPictures.PANEL, AttentionPictures.PANEL + PanelGrid.TITLE_HEIGHT,
                "layer 1");
        TreeMap<Long, AttentionMaps> byStep = new TreeMap<>();
        byStep.put(0L, maps);
        byStep.put(50L, maps);
        assertSizeAndTitle(AttentionPictures.overSteps("over steps", byStep, OptionalInt.of(0), 600, 900), 600, 900,
                "over steps");
    }

    @Test
    void aSizeTooSmallToReadIsRefused() {
        assertThrows(UserError.class, () -> LineChart.titled("tiny").size(10, 10));
        float[][] head = {{1}};
        AttentionMaps maps = new AttentionMaps(List.of("a"), new float[][][][] {{head, head, head, head}});
        UserError error = assertThrows(UserError.class,
                () -> AttentionPictures.heads("crowded", maps, OptionalInt.empty(), 200, 200));
        assertEquals(true, error.getMessage().contains("make it larger"), error.getMessage());
    }

    private void assertSizeAndTitle(Picture picture, int width, int height, String title) throws Exception {
        assertEquals(width, picture.image().getWidth());
        assertEquals(height, picture.image().getHeight());
        assertEquals(title, picture.title());
        Picture read = Picture.readPng(picture.writePng(dir.resolve("picture.png")));
        assertEquals(width, read.width(), "width of the PNG");
        assertEquals(height, read.height(), "height of the PNG");
        assertEquals(title, read.title(), "title of the PNG");
    }
}
