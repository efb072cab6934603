package org.scratchgpt.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.model.Precision;

/**
 * Each converted projection against a float64 reference computed here in Java from what the block stores: for int8,
 * y = (x_bf16 · q^T) · scale + b from the int8 values and scales of {@link Int8Rows}; for 16-bit weights, y = x_bf16 ·
 * W_bf16^T + b_bf16. The kernel rounds its result (and its sums) to bfloat16, 8 bits of mantissa: 2^-7 of the
 * largest output bounds that, and a wrong scale, a transposed matrix or a missing bias are far outside it.
 */
class ConvertedProjectionTest {

    private static final int OUT = 24;
    private static final Shape X = new Shape(2, 3, 0); // (B, T, in); in is the test's

    /** 48 inputs run libtorch's packed int8 kernel; 40 are not a multiple of 16 and take the widened path. */
    @ParameterizedTest(name = "{0} inputs")
    @ValueSource(ints = {48, 40})
    void int8MatchesTheFloat64ProductOfTheStoredValuesAndScales(int in) {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] w = values(OUT * in, 1, 0.05);
            float[] b = values(OUT, 2, 0.1);
            float[] x = values(6 * in, 3, 1);
            Int8Projection block = new Int8Projection(manager.create(w, new Shape(OUT, in)), manager.create(b),
                    Precision.BF16, true);
            Int8Rows stored = Int8Rows.quantize(w, OUT, in); // what the block quantized, computed again
            double[] expected = new double[6 * OUT];
            for (int n = 0; n < 6; n++) {
                for (int o = 0; o < OUT; o++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += bfloat16(x[n * in + i]) * stored.dequantized(o, i);
                    }
                    expected[n * OUT + o] = sum + bfloat16(b[o]);
                }
            }
            assertClose(expected, run(block, manager, x, in));
        }
    }

    @ParameterizedTest(name = "{0} inputs")
    @ValueSource(ints = {48, 40})
    void sixteenBitWeightsMatchTheFloat64ProductOfTheRoundedWeights(int in) {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] w = values(OUT * in, 4, 0.05);
            float[] b = values(OUT, 5, 0.1);
            float[] x = values(6 * in, 6, 1);
            HalfProjection block = new HalfProjection(manager.create(w, new Shape(OUT, in)), manager.create(b),
                    Precision.BF16, true);
            double[] expected = new double[6 * OUT];
            for (int n = 0; n < 6; n++) {
                for (int o = 0; o < OUT; o++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += bfloat16(x[n * in + i]) * bfloat16(w[o * in + i]);
                    }
                    expected[n * OUT + o] = sum + bfloat16(b[o]);
                }
            }
            System.out.println("bf16 weights, " + in + " inputs: "
                    + (block.laidOutForOneDnn() ? "laid out for oneDNN" : "plain torch.linear"));
            assertClose(expected, run(block, manager, x, in));
        }
    }

    /**
     * Where the CPU has bfloat16 instructions, the 16-bit weights are laid out for oneDNN's matrix kernels, which the
     * float64 test above then holds to the reference; the bytes a step reads are the same.
     */
    @org.junit.jupiter.api.Test
    void onACpuWithBfloat16TheWeightsAreLaidOutForOneDnn() {
        assumeTrue(cpuRunsBfloat16(), "this CPU has no bfloat16 instructions: the plain path is taken (tested above)");
        try (NDManager manager = NDManager.newBaseManager()) {
            HalfProjection block = new HalfProjection(manager.create(values(OUT * 48, 4, 0.05), new Shape(OUT, 48)),
                    null, Precision.BF16, false);
            assertTrue(block.laidOutForOneDnn());
            assertEquals(2L * OUT * 48, block.bytesRead());
        }
    }

    /** AVX-512 BF16 or AMX, read from /proc/cpuinfo: where oneDNN has bfloat16 kernels. */
    private static boolean cpuRunsBfloat16() {
        try {
            String flags = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
            return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A projection returns its result in the model's 16-bit format (DJL sees it as unknown), the head float32. */
    @org.junit.jupiter.api.Test
    void projectionsStaySixteenBitAndTheHeadReturnsFloat32() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(values(OUT * 32, 7, 0.05), new Shape(OUT, 32));
            NDArray x = manager.create(values(32, 8, 1), new Shape(1, 1, 32));
            for (boolean int8 : new boolean[] {true, false}) {
                ConvertedProjection projection = int8 ? new Int8Projection(weight, null, Precision.BF16, false)
                        : new HalfProjection(weight, null, Precision.BF16, false);
                ConvertedProjection head = int8 ? new Int8Projection(weight, null, Precision.BF16, true)
                        : new HalfProjection(weight, null, Precision.BF16, true);
                ConvertedProjection float32Model = new Int8Projection(weight, null, Precision.FP32, false);
                assertEquals("UNKNOWN", projection.apply(x).getDataType().name(), "int8 " + int8);
                assertEquals("FLOAT32", head.apply(x).getDataType().name(), "int8 " + int8);
                assertEquals("FLOAT32", float32Model.apply(x).getDataType().name());
                assertArrayEquals(new long[] {1, 1, OUT}, projection.apply(x).getShape().getShape());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void trainingThroughAConvertedProjectionIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(values(OUT * 16, 9, 0.05), new Shape(OUT, 16));
            Int8Projection block = new Int8Projection(weight, null, Precision.BF16, false);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> block.forward(
                    new ParameterStore(manager, false), new NDList(manager.ones(new Shape(1, 16))), true));
            assertTrue(refused.getMessage().startsWith("a projection converted to int8 for generation cannot be"
                    + " trained"), refused.getMessage());
        }
    }

    private static double[] run(ConvertedProjection block, NDManager manager, float[] x, int in) {
        NDArray input = manager.create(x, new Shape(X.get(0), X.get(1), in));      // (2, 3, in)
        NDArray y = block.forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow();
        assertArrayEquals(new long[] {2, 3, OUT}, y.getShape().getShape());
        float[] got = y.toFloatArray();
        double[] result = new double[got.length];
        for (int i = 0; i < got.length; i++) {
            result[i] = got[i];
        }
        return result;
    }

    private static void assertClose(double[] expected, double[] actual) {
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(largest > 0.1, "the test's outputs are not all tiny: " + largest);
        assertTrue(worst <= largest / 128, "off by " + worst + " with outputs up to " + largest);
    }

    /** x rounded to the nearest bfloat16 (ties to even), as the kernels cast it. */
    static double bfloat16(float x) {
        int bits = Float.floatToIntBits(x);
        int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000;
        return Float.intBitsToFloat(rounded);
    }

    private static float[] values(int count, long seed, double size) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * size);
        }
        return values;
    }
}
