package org.scratchgpt.plan;

import ai.djl.Device;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.model.Precision;

/**
 * How fast this machine multiplies matrices in a 16-bit precision, as a multiple of float32's speed. Measured,
 * because a CPU's flags do not tell: with the same {@code avx512_bf16} flag, libtorch's bf16 products ran at 4x
 * float32 on an AMD EPYC and at about 0.55x on an Intel Xeon without AMX; a CPU without AVX-512 emulates bf16 at a
 * fraction of float32's speed. Every piece of advice about precision follows this measurement: train's warning,
 * plan's note and the rows that {@code bench train --ablation} builds on bf16.
 *
 * <p>The measurement is short: products of two 512-square matrices on a CPU (2048 on a GPU, which needs a bigger
 * product to get busy) in float32 and in the precision, through the same kernels the model's Linear layers use
 * ({@link MatmulPeak.Product}), in alternating rounds until the ratio settles ({@link SpeedRatio}: at least 3
 * rounds, at most 9, none begun after a second). Advice rests on it only where every round agreed. It runs once per
 * device and precision per process.
 *
 * @param precision the precision compared with float32
 * @param speed its FLOP/s in the product divided by float32's: above 1 it is faster
 */
public record PrecisionSpeed(Precision precision, SpeedRatio speed) {
    private static final int SIZE_CPU = 512;
    private static final int SIZE_GPU = 2048;
    private static final SpeedRatio.Rounds ROUNDS = new SpeedRatio.Rounds(3, 9, 1.0);
    private static final Map<String, PrecisionSpeed> MEASURED = new ConcurrentHashMap<>();

    /** A speed known exactly, e.g. a test's. */
    public PrecisionSpeed(Precision precision, double ratio) {
        this(precision, SpeedRatio.exactly(ratio));
    }

    /** {@code precision} against float32 on {@code device}: measured on the first call, remembered after. */
    public static PrecisionSpeed on(Device device, Precision precision) {
        return MEASURED.computeIfAbsent(device + " " + precision, key -> measure(device, precision));
    }

    /** Measures now, without looking at what was measured before. float32 needs no measurement: it is 1x itself. */
    static PrecisionSpeed measure(Device device, Precision precision) {
        if (!precision.isReduced()) {
            return new PrecisionSpeed(precision, 1.0);
        }
        int n = device.isGpu() ? SIZE_GPU : SIZE_CPU;
        MatmulPeak.Shape square = new MatmulPeak.Shape(n, n, n);
        try (MatmulPeak.Product float32 = new MatmulPeak.Product(device, square, Precision.FP32);
             MatmulPeak.Product reduced = new MatmulPeak.Product(device, square, precision)) {
            return new PrecisionSpeed(precision, SpeedRatio.measure(reduced::seconds, float32::seconds, ROUNDS));
        }
    }

    /** The best-of ratio. */
    public double ratio() {
        return speed.ratio();
    }

    /** Faster in every round of the measurement: only then is the precision recommended for speed. */
    public boolean fasterThanFloat32() {
        return speed.faster();
    }

    /** Slower in every round of the measurement. */
    public boolean slowerThanFloat32() {
        return speed.slower();
    }

    /**
     * The measurement in words, e.g. "bf16 multiplies at 0.52x float32 here (measured), 0.50x to 0.55x over 3
     * rounds", with a word on the machine where the rounds disagree widely.
     */
    public String measured() {
        String words = precision.cliName() + " multiplies at " + speed.figure() + " float32 here (measured)";
        // A ratio known exactly (one round) has no spread, and its one round cannot disagree with itself.
        return speed.spread().isEmpty() ? words : words + ", " + speed.spreadAndVerdict();
    }

    /** What {@code train} says before it starts: a warning when the asked precision is slower than float32 here. */
    public Optional<String> trainingWarning() {
        return slowerThanFloat32() ? Optional.of(measured() + ": use --precision fp32") : Optional.empty();
    }
}
