package org.scratchgpt.plan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Precision;

/**
 * The matrix-multiply timer: how many FLOP/s one large product reaches on a device, the practical peak that model
 * FLOP utilisation (MFU) is measured against and that {@link PrecisionSupport} compares precisions with.
 */
public final class MatmulPeak {
    private MatmulPeak() {}

    /** FLOP/s of a float32 matrix multiply of {@code n x n} matrices on {@code device}: its practical peak. */
    public static double flops(Device device, int n, int runs) {
        return flops(device, n, runs, Precision.FP32);
    }

    /** The same in {@code precision}, as the model's Linear layers compute (a times b transposed, cast inside). */
    public static double flops(Device device, int n, int runs, Precision precision) {
        Compute compute = new Compute(precision, true);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
            double seconds = Timing.medianSeconds(2, runs, () -> {
                // Reading one number of the product waits for it: a GPU only queues the multiply and returns.
                try (NDArray c = compute.linear(a, b, false); NDArray corner = c.get(0, 0)) {
                    return (long) corner.getFloat();
                }
            });
            return 2.0 * n * n * n / seconds;
        }
    }
}
