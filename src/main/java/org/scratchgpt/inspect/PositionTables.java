package org.scratchgpt.inspect;

import org.scratchgpt.model.RotaryPositionalEncoding;
import org.scratchgpt.model.SinusoidalPositionalEncoding;

/**
 * The fixed position encodings as tables to draw, computed by the model's own code (so the picture shows what the
 * model adds, not a re-derivation): the sinusoidal table added to the embeddings, and the angles by which rotary
 * positions turn each pair of a head's channels. A learned table comes from a checkpoint:
 * {@link CheckpointProbe#positionTable}.
 */
public final class PositionTables {
    private PositionTables() {}

    /** (context_length, C): row t is what position t adds to the token vector. */
    public static float[][] sinusoidal(int contextLength, int width) {
        return rows(SinusoidalPositionalEncoding.tableValues(contextLength, width), width);
    }

    /**
     * (context_length, hs/2): the angle in radians by which channel pair i of every head turns at position t;
     * early pairs turn fast, late ones slowly. Plain angles (not their cosines) so that the picture shows the
     * speeds; the model rotates by cos and sin of exactly these.
     */
    public static float[][] rotaryAngles(int contextLength, int headSize) {
        return rows(RotaryPositionalEncoding.tableValues(contextLength, headSize, angle -> angle), headSize / 2);
    }

    /** (context_length, hs/2): the cosines of the rotary angles, as the model multiplies by them. */
    public static float[][] rotaryCosines(int contextLength, int headSize) {
        return rows(RotaryPositionalEncoding.tableValues(contextLength, headSize, Math::cos), headSize / 2);
    }

    /** A row-after-row flat array as rows of {@code columns} numbers. */
    static float[][] rows(float[] flat, int columns) {
        float[][] rows = new float[flat.length / columns][columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(flat, i * columns, rows[i], 0, columns);
        }
        return rows;
    }
}
