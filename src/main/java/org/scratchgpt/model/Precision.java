package org.scratchgpt.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;

/**
 * The number format of the model's matrix arithmetic. Weights, their gradients and the optimizer's state stay
 * float32 whatever the choice ("master weights"); only the matrix multiplications and attention run in the
 * narrower format, where the hardware may be several times faster at them (whether it is, is measured:
 * {@code bench.PrecisionSpeed}). Layer norm, softmax statistics, the loss and the optimizer always run in float32,
 * because their sums need float32's 24-bit mantissa.
 */
public enum Precision {
    /** float32 throughout: the reference every other path is tested against. */
    FP32(6, 4),
    /**
     * bfloat16: float32's 8-bit exponent (same range, no overflow) with an 8-bit mantissa (about 3 significant
     * digits). Needs no loss scaling. Fast on GPUs since Ampere; on a CPU it depends on the chip and on libtorch's
     * kernels for it (from 0.2x to 4x float32 on the CPUs measured so far), so it is measured, not assumed.
     */
    BF16(15, 2),
    /**
     * float16: a 5-bit exponent (largest value 65504, small gradients underflow to 0) and a 10-bit mantissa.
     * For GPUs without bfloat16; training needs dynamic loss scaling. Very slow on CPUs.
     */
    FP16(5, 2);

    private final int torchDtype;
    private final int bytes;

    Precision(int torchDtype, int bytes) {
        this.torchDtype = torchDtype;
        this.bytes = bytes;
    }

    /** Bytes per number in this format. */
    public int bytes() {
        return bytes;
    }

    /** The number TorchScript code uses for this dtype (torch.float32 is 6, torch.bfloat16 15, torch.float16 5). */
    public int torchDtype() {
        return torchDtype;
    }

    /** Whether the matrix work runs in a 16-bit format. */
    public boolean isReduced() {
        return this != FP32;
    }

    /** The name on the command line and in checkpoints: fp32, bf16 or fp16. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.cliName().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new UserError("unknown precision '" + name + "': use one of "
                + Arrays.stream(values()).map(Precision::cliName).collect(Collectors.joining(", ")));
    }
}
