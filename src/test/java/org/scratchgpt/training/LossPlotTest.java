package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
    @TempDir Path dir;

    @Test
    void writesAReadablePng() throws Exception {
        Path png = dir.resolve("loss.png");
        LossPlot.write(png, "baby on tinyshakespeare", List.of(new LossPlot.Point(0, 4.2, 4.2),
                new LossPlot.Point(250, 2.1, 2.2), new LossPlot.Point(500, 1.7, 1.9)));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        assertTrue(dir.toFile().list().length == 1, "no temporary file left behind");
    }
}
