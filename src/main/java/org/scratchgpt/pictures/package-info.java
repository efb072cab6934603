/**
 * Charts drawn in Java, as PNG files or as images in a notebook. Read {@link org.scratchgpt.pictures.Picture} first
 * (a title and its pixels), then {@link org.scratchgpt.pictures.ChartBuilder} and its charts ({@link
 * org.scratchgpt.pictures.LineChart}, {@link org.scratchgpt.pictures.BarChart}, {@link
 * org.scratchgpt.pictures.ScatterChart}, {@link org.scratchgpt.pictures.Heatmap}), {@link
 * org.scratchgpt.pictures.PanelGrid} (small pictures side by side) and {@link
 * org.scratchgpt.pictures.AttentionPictures} (attention weights as heatmaps, a panel per head); {@link
 * org.scratchgpt.pictures.Pca} projects embeddings to 2-D and {@link org.scratchgpt.pictures.TokenLabels} makes
 * tokens readable as labels. It uses model for attention maps, tokenizer for token text, and io to write a PNG
 * atomically.
 *
 * <p>May use: io, model, tokenizer.
 */
package org.scratchgpt.pictures;
