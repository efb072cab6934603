package org.scratchgpt.plan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;

/**
 * The matrix-multiply timer: the practical peak FLOP/s of a device, what model FLOP utilisation (MFU) is measured
 * against, and the products that {@link PrecisionSpeed} compares precisions with.
 *
 * <p>A peak must be one: a model's step should never beat it, or MFU reads above 100% (it once read 109.5% on a
 * quiet machine, against the median of five products of one size). So the peak is the best of several warmed
 * products, over several sizes that include the model's own shapes (a CPU can be faster on a product that fits its
 * caches than on a large square one), in the precision the model computes in.
 */
public final class MatmulPeak {
    private static final int[] CPU_SQUARES = {512, 1024, 2048};
    private static final int[] GPU_SQUARES = {2048, 8192};

    private MatmulPeak() {}

    /** A product of an {@code m x k} matrix with a {@code k x n} one: {@code 2 m k n} FLOPs. */
    public record Shape(int m, int k, int n) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    /**
     * The shapes a peak is measured over: square ones the device needs to get busy, and the products of {@code
     * config}'s model on {@code tokens} tokens (batch times context): attention's query/key/value and output
     * projections, the MLP's two layers and the output head, each also as backward multiplies it.
     */
    public static List<Shape> shapes(Device device, GptConfig config, int tokens) {
        int c = config.embeddingWidth();
        LinkedHashSet<Shape> shapes = new LinkedHashSet<>();
        for (int n : device.isGpu() ? GPU_SQUARES : CPU_SQUARES) {
            shapes.add(new Shape(n, n, n));
        }
        List<Shape> forward = List.of(new Shape(tokens, c, 3 * c), new Shape(tokens, c, c),
                new Shape(tokens, c, 4 * c), new Shape(tokens, 4 * c, c), new Shape(tokens, c, config.vocabSize()));
        shapes.addAll(forward);
        // Backward multiplies other shapes: the input's gradient (tokens x out times out x in) and the weight's
        // (out x tokens times tokens x in, a long inner dimension), which a CPU may run faster than the forward
        // ones. Left out, a step could beat the "peak" and MFU read above 100%.
        for (Shape f : forward) {
            shapes.add(new Shape(f.m(), f.n(), f.k()));
        }
        for (Shape f : forward) {
            shapes.add(new Shape(f.n(), f.m(), f.k()));
        }
        return new ArrayList<>(shapes);
    }

    /** The peak FLOP/s in {@code precision} on {@code device}: the best of {@code runs} warmed products of each shape. */
    public static double flops(Device device, List<Shape> shapes, int runs, Precision precision) {
        double best = 0;
        for (Shape shape : shapes) {
            try (Product product = new Product(device, shape, precision)) {
                product.seconds(); // warm-up
                for (int i = 0; i < runs; i++) {
                    best = Math.max(best, shape.flops() / product.seconds());
                }
            }
        }
        return best;
    }

    /** One product of random matrices, timed on each call, as the model's Linear layers compute it. */
    public static final class Product implements AutoCloseable {
        private final NDManager manager;
        private final NDArray a;
        private final NDArray b;
        private final Compute compute;

        public Product(Device device, Shape shape, Precision precision) {
            this.manager = NDManager.newBaseManager(device);
            this.a = manager.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(shape.m(), shape.k()));
            this.b = manager.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(shape.n(), shape.k()));
            this.compute = new Compute(precision, true);
        }

        /** Computes the product (a times b transposed, cast inside as the precision says) and returns its seconds. */
        public double seconds() {
            long start = System.nanoTime();
            // Reading one number of the product waits for it: a GPU only queues the multiply and returns.
            try (NDArray c = compute.linear(a, b, false); NDArray corner = c.get(0, 0)) {
                corner.getFloat();
            }
            return (System.nanoTime() - start) / 1e9;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
