package org.scratchgpt.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.AttentionMaps;

/** Hand-made attention patterns, drawn and read back from the pixels: bright where the weight is 1, dark where 0. */
class HeatmapTest {

    private static final List<String> TOKENS = List.of("R", "O", "M", "E", "O");
    private static final int T = TOKENS.size();

    /** A "previous token" head: position t reads only t - 1 (position 0, having none, reads itself). */
    static float[][] previousToken() {
        float[][] weights = new float[T][T];
        for (int t = 0; t < T; t++) {
            weights[t][Math.max(0, t - 1)] = 1;
        }
        return weights;
    }

    /** A head that reads only the first token, whatever the position. */
    static float[][] firstToken() {
        float[][] weights = new float[T][T];
        for (int t = 0; t < T; t++) {
            weights[t][0] = 1;
        }
        return weights;
    }

    @Test
    void aHeatmapIsBrightWhereTheWeightIsOneAndDarkWhereItIsZero() {
        float[][] weights = previousToken();
        Picture picture = Heatmap.titled("previous token").size(400, 380).values(weights, TOKENS, TOKENS).picture();

        assertPattern(picture.image(), new Rectangle(0, 0, 400, 380), weights);
    }

    @Test
    void everyHeadGetsItsOwnPanelWithItsOwnPattern() {
        float[][][][] weights = {{previousToken(), firstToken()}}; // 1 layer, 2 heads
        AttentionMaps maps = new AttentionMaps(TOKENS, weights);

        Picture picture = AttentionPictures.heads("two heads", maps, OptionalInt.empty(), 600, 340);

        int panelWidth = 600 / 2;
        int panelHeight = 340 - PanelGrid.TITLE_HEIGHT;
        for (int head = 0; head < 2; head++) {
            Rectangle panel = new Rectangle(head * panelWidth, PanelGrid.TITLE_HEIGHT, panelWidth, panelHeight);
            assertPattern(picture.image(), panel, weights[0][head]);
        }
    }

    private static void assertPattern(BufferedImage image, Rectangle panel, float[][] weights) {
        Rectangle cells = PixelProbe.cells(image, panel);
        for (int row = 0; row < T; row++) {
            for (int column = 0; column < T; column++) {
                Color expected = weights[row][column] == 1 ? Heatmap.BRIGHT : Heatmap.DARK;
                assertEquals(expected, PixelProbe.centre(image, cells, T, row, column),
                        "cell (" + row + ", " + column + ") of weight " + weights[row][column] + " in " + cells);
            }
        }
    }
}
