package org.scratchgpt.quantize;

/**
 * Weight-only int8 quantization with one scale per output row, the simplest form that keeps a GPT's quality.
 *
 * <pre>
 *   scale_r = max_c |W[r, c]| / 127                 one number per row r of W (out, in)
 *   q[r, c] = round(W[r, c] / scale_r)               an integer in -127..127, stored in one byte
 *   W[r, c] ≈ q[r, c] · scale_r                      so  y_r = x · W_r  ≈  (x · q_r) · scale_r
 * </pre>
 *
 * Why it works: each row is rounded to 255 evenly spaced levels between -max|W_r| and +max|W_r|, so every weight is
 * off by at most half a level, 0.4% of its row's largest weight. Such small, unbiased errors mostly cancel in the dot
 * product of a row with the input. One scale per row (rather than one for the whole matrix) matters: rows differ in
 * size, and a single scale would round the small rows of a matrix to a handful of levels. Only the weights are
 * quantized: the activations x stay in 16 or 32 bits, and the scale is applied after the dot product, once per
 * output, because it is the same for the whole row.
 *
 * <p>The scale is kept in bfloat16, because the matrix kernel reads scales in the format of the activations. So it is
 * first rounded up to a bfloat16 number and q is computed against that stored scale: the only error left is int8's
 * own rounding (rounding up, not to nearest, keeps |W / scale| at most 127).
 */
public final class Int8Rows {

    /** The largest magnitude of a quantized weight: -127..127, symmetric around 0 (-128 is not used). */
    static final int LEVELS = 127;

    private final byte[] values;  // q, (rows, columns) row after row
    private final float[] scales; // scale_r, (rows); each one exactly a bfloat16 number
    private final int columns;

    private Int8Rows(byte[] values, float[] scales, int columns) {
        this.values = values;
        this.scales = scales;
        this.columns = columns;
    }

    /** Quantizes {@code weight}, a (rows, columns) matrix stored row after row, one row at a time. */
    public static Int8Rows quantize(float[] weight, int rows, int columns) {
        if ((long) rows * columns != weight.length) {
            throw new IllegalArgumentException(weight.length + " weights are not a (" + rows + ", " + columns + ") matrix");
        }
        byte[] values = new byte[weight.length];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            int start = r * columns;
            float largest = 0;
            for (int c = 0; c < columns; c++) {
                largest = Math.max(largest, Math.abs(weight[start + c]));
            }
            // A row of zeros has no largest weight: any scale gives q = 0; 1 keeps the division defined.
            scales[r] = largest == 0 ? 1f : roundUpToBfloat16(largest / LEVELS);
            for (int c = 0; c < columns; c++) {
                values[start + c] = (byte) Math.round(weight[start + c] / scales[r]); // within -127..127
            }
        }
        return new Int8Rows(values, scales, columns);
    }

    /**
     * The smallest bfloat16 number at least {@code x} (x positive and finite). bfloat16 is the upper half of a
     * float32's bits (sign, 8-bit exponent, 7-bit mantissa), so cutting the lower 16 bits rounds toward zero; if
     * they were not all zero, one step up of the upper half rounds up instead.
     */
    static float roundUpToBfloat16(float x) {
        int bits = Float.floatToIntBits(x);
        int upper = bits & 0xFFFF0000;
        return Float.intBitsToFloat(upper == bits ? bits : upper + 0x10000);
    }

    /** q, (rows, columns) row after row. */
    public byte[] values() {
        return values;
    }

    /** One scale per row, each exactly representable in bfloat16. */
    public float[] scales() {
        return scales;
    }

    public int rows() {
        return scales.length;
    }

    public int columns() {
        return columns;
    }

    /** What the int8 matrix stands for at (row, column): q · scale, in float64. */
    public double dequantized(int row, int column) {
        return (double) values[row * columns + column] * scales[row];
    }
}
