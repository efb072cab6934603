package org.scratchgpt.plan;

import ai.djl.Device;
import java.util.Locale;
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
 * <p>The measurement is short: a few products of two 512-square matrices on a CPU (2048 on a GPU, which needs a
 * bigger product to get busy) in float32 and in the precision, through the same kernels the model's Linear layers
 * use ({@link MatmulPeak#flops}): 0.8 s for bf16 on a busy 2-core CPU, 1.2 s for fp16 (emulated there).
 * It runs once per device and precision per process.
 *
 * @param precision the precision compared with float32
 * @param ratio its FLOP/s in the product divided by float32's: above 1 it is faster
 */
public record PrecisionSpeed(Precision precision, double ratio) {

    /** Within 10% either way a short product cannot tell two speeds apart, so neither is called faster. */
    static final double MARGIN = 0.10;
    private static final int TIMED_PRODUCTS = 3;
    private static final Map<String, PrecisionSpeed> MEASURED = new ConcurrentHashMap<>();

    /** {@code precision} against float32 on {@code device}: measured on the first call, remembered after. */
    public static PrecisionSpeed on(Device device, Precision precision) {
        return MEASURED.computeIfAbsent(device + " " + precision, key -> measure(device, precision));
    }

    /** Measures now, without looking at what was measured before. float32 needs no measurement: it is 1x itself. */
    static PrecisionSpeed measure(Device device, Precision precision) {
        if (!precision.isReduced()) {
            return new PrecisionSpeed(precision, 1.0);
        }
        int n = device.isGpu() ? 2048 : 512;
        double float32 = MatmulPeak.flops(device, n, TIMED_PRODUCTS);
        double reduced = MatmulPeak.flops(device, n, TIMED_PRODUCTS, precision);
        return new PrecisionSpeed(precision, reduced / float32);
    }

    public boolean fasterThanFloat32() {
        return ratio > 1 + MARGIN;
    }

    public boolean slowerThanFloat32() {
        return ratio < 1 - MARGIN;
    }

    /** The measurement in words, e.g. "bf16 multiplies at 0.52x float32 here (measured)". */
    public String measured() {
        // Two significant digits: 0.52x, 4.0x, and 0.011x for fp16 emulated on a CPU (not 0.01x).
        return String.format(Locale.ROOT, "%s multiplies at %.2gx float32 here (measured)", precision.cliName(), ratio);
    }

    /** What {@code train} says before it starts: a warning when the asked precision is slower than float32 here. */
    public Optional<String> trainingWarning() {
        return slowerThanFloat32() ? Optional.of(measured() + ": use --precision fp32") : Optional.empty();
    }
}
