package org.scratchgpt.pictures;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.scratchgpt.UserError;

/**
 * Small pictures side by side under one title: one panel per attention head, a row per layer or per training
 * step. Each panel is drawn at exactly its share of the size, so nothing is scaled and blurred.
 */
public final class PanelGrid {
    private PanelGrid() {}

    static {
        Headless.ensure();
    }

    /** Height of the band that holds the grid's title. */
    public static final int TITLE_HEIGHT = 40;

    /** The smallest panel, in pixels each way, that still shows its labels. */
    public static final int MIN_PANEL = 60;

    /** Draws the panel at (row, column) of the grid, at exactly width x height pixels. */
    @FunctionalInterface
    public interface Panel {
        Picture draw(int row, int column, int width, int height);
    }

    /**
     * A picture of {@code width} x {@code height} pixels: the title on top, then {@code rows} x {@code columns}
     * panels, each drawn by {@code panel} at its share of the rest.
     */
    public static Picture of(String title, int rows, int columns, int width, int height, Panel panel) {
        PictureSize.check(width, height);
        int cellWidth = width / columns;
        int cellHeight = (height - TITLE_HEIGHT) / rows;
        if (cellWidth < MIN_PANEL || cellHeight < MIN_PANEL) {
            throw new UserError("a " + width + " x " + height + " picture leaves " + cellWidth + " x " + cellHeight
                    + " pixels for each of its " + rows + " x " + columns + " panels, too small to read: make it larger"
                    + " (about " + columns * 250 + " x " + (rows * 250 + TITLE_HEIGHT) + "), or draw fewer panels");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            drawTitle(g, title, width);
            for (int row = 0; row < rows; row++) {
                for (int column = 0; column < columns; column++) {
                    Picture cell = panel.draw(row, column, cellWidth, cellHeight);
                    g.drawImage(cell.image(), column * cellWidth, TITLE_HEIGHT + row * cellHeight, null);
                }
            }
        } finally {
            g.dispose();
        }
        return new Picture(title, image);
    }

    private static void drawTitle(Graphics2D g, String title, int width) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        FontMetrics metrics = g.getFontMetrics();
        int x = Math.max(4, (width - metrics.stringWidth(title)) / 2);
        g.drawString(title, x, (TITLE_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
    }
}
