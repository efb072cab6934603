package org.scratchgpt.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quantization itself, in plain Java: levels, scales and the error bound the method promises. */
class Int8RowsTest {

    @Test
    void everyWeightIsWithinHalfALevelOfItsRowsScale() {
        int rows = 7;
        int columns = 50;
        float[] weight = new float[rows * columns];
        Random random = new Random(3);
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() * (1 + i / columns)); // rows of different sizes
        }
        Int8Rows q = Int8Rows.quantize(weight, rows, columns);
        for (int r = 0; r < rows; r++) {
            float scale = q.scales()[r];
            assertEquals(scale, Int8Rows.roundUpToBfloat16(scale), "a scale is a bfloat16 number");
            double largest = 0;
            for (int c = 0; c < columns; c++) {
                largest = Math.max(largest, Math.abs(weight[r * columns + c]));
                assertTrue(Math.abs(q.values()[r * columns + c]) <= 127);
                double error = Math.abs(q.dequantized(r, c) - weight[r * columns + c]);
                assertTrue(error <= scale / 2 * (1 + 1e-6), "row " + r + " column " + c + ": off by " + error);
            }
            // Rounding the scale up to bfloat16 makes it at most 2^-7 larger than max|W_r| / 127.
            assertTrue(scale >= largest / 127 && scale <= largest / 127 * (1 + 1.0 / 128), "row " + r);
        }
    }

    @Test
    void theLargestWeightOfARowUsesTheWholeRange() {
        Int8Rows q = Int8Rows.quantize(new float[] {0.5f, -1.27f, 0.01f}, 1, 3);
        assertEquals(-127, q.values()[1]);
        assertEquals(50, q.values()[0]);
    }

    @Test
    void aRowOfZerosStaysZero() {
        Int8Rows q = Int8Rows.quantize(new float[] {0, 0, 0, 1, 2, 3}, 2, 3);
        assertEquals(0, q.dequantized(0, 0));
        assertEquals(0, q.values()[2]);
        assertEquals(127, q.values()[5]);
    }

    @Test
    void roundingUpToBfloat16KeepsBfloat16NumbersAndRoundsOthersUp() {
        assertEquals(1.0f, Int8Rows.roundUpToBfloat16(1.0f));
        assertEquals(1.0f + 1f / 128, Int8Rows.roundUpToBfloat16(1.0f + 1e-6f)); // 7 mantissa bits: next is 1 + 2^-7
        assertEquals(0.0078125f, Int8Rows.roundUpToBfloat16(0.0078125f));
    }
}
