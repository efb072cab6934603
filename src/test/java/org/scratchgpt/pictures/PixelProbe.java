package org.scratchgpt.pictures;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/** Reads a heatmap back from its pixels: where its cells are, and the colour at a cell's centre. */
final class PixelProbe {
    private PixelProbe() {}

    /**
     * The smallest rectangle inside {@code area} holding every pixel of exactly the heatmap's DARK or BRIGHT colour:
     * the grid of cells, when the pattern has a cell of either colour in its first and last row and column (nothing
     * else in a heatmap is drawn in those colours).
     */
    static Rectangle cells(BufferedImage image, Rectangle area) {
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = -1;
        int bottom = -1;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb == (Heatmap.DARK.getRGB() & 0xFFFFFF) || rgb == (Heatmap.BRIGHT.getRGB() & 0xFFFFFF)) {
                    left = Math.min(left, x);
                    top = Math.min(top, y);
                    right = Math.max(right, x);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        if (right < 0) {
            throw new AssertionError("no heatmap cells in " + area);
        }
        return new Rectangle(left, top, right - left + 1, bottom - top + 1);
    }

    /** The colour at the centre of cell (row, column) of a grid of n x n cells covering {@code cells}. */
    static Color centre(BufferedImage image, Rectangle cells, int n, int row, int column) {
        int x = (int) (cells.x + (column + 0.5) * cells.width / n);
        int y = (int) (cells.y + (row + 0.5) * cells.height / n);
        return new Color(image.getRGB(x, y));
    }
}
