package org.scratchgpt.pictures;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.scratchgpt.io.AtomicFiles;
import org.w3c.dom.NodeList;

/**
 * A finished picture: its title and its pixels. In a notebook, show {@link #image()}; on disk, {@link #writePng}
 * writes a PNG that also carries the title as its standard "Title" text field, so a program (or a test) can tell
 * what a PNG shows without looking at it.
 */
public record Picture(String title, BufferedImage image) {

    static {
        Headless.ensure();
    }

    /** A chart drawn at the width and height it was built with; its title is the chart's. */
    public static Picture of(Chart<?, ?> chart) {
        return new Picture(chart.getTitle(), BitmapEncoder.getBufferedImage(chart));
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    /** Writes the picture as a PNG, atomically: a reader never sees half a file, and a failed write leaves the old one. */
    public Path writePng(Path png) throws IOException {
        AtomicFiles.write(png, pngBytes());
        return png;
    }

    /** The PNG file's bytes, title included. */
    public byte[] pngBytes() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
            addTitle(metadata);
            writer.write(new IIOImage(image, null, metadata));
            out.flush();
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    /** PNG keeps text as tEXt chunks of keyword and value; "Title" is one of the keywords the PNG standard names. */
    private void addTitle(IIOMetadata metadata) throws IIOInvalidTreeException {
        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
        entry.setAttribute("keyword", "Title");
        entry.setAttribute("value", title);
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        text.appendChild(entry);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        root.appendChild(text);
        metadata.mergeTree("javax_imageio_png_1.0", root);
    }

    /** Reads a PNG written by {@link #writePng} back: its pixels and its title (empty when it has none). */
    public static Picture readPng(Path png) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(Files.newInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(png + " is not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                BufferedImage image = reader.read(0);
                return new Picture(titleIn(reader.getImageMetadata(0)), image);
            } finally {
                reader.dispose();
            }
        }
    }

    private static String titleIn(IIOMetadata metadata) {
        if (metadata == null || !java.util.Arrays.asList(metadata.getMetadataFormatNames()).contains("javax_imageio_png_1.0")) {
            return "";
        }
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_png_1.0");
        NodeList entries = root.getElementsByTagName("tEXtEntry");
        for (int i = 0; i < entries.getLength(); i++) {
            IIOMetadataNode entry = (IIOMetadataNode) entries.item(i);
            if ("Title".equals(entry.getAttribute("keyword"))) {
                return entry.getAttribute("value");
            }
        }
        return "";
    }
}
