package org.scratchgpt.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;

/**
 * Before a run starts: can this engine and device compute as asked, and will it be fast? The kernels are run
 * once on a tiny model, so a libtorch that cannot do them fails here with a clear message instead of at step
 * one. Speed is the hardware's business: a CPU multiplies bfloat16 quickly only with AVX-512 BF16 or AMX
 * (otherwise libtorch emulates it, slower than float32), and float16 on a CPU is emulated, about 100x slower.
 */
public final class PrecisionSupport {
    private PrecisionSupport() {}

    /** Fails with a UserError when the kernels do not run; returns advice when they will run slowly. */
    public static Optional<String> check(Compute compute, Device device) {
        tryKernels(compute, device);
        if (!device.isGpu() && compute.precision() == Precision.BF16 && !cpuMultipliesBfloat16()) {
            return Optional.of("this CPU has no AVX-512 BF16 or AMX instructions: libtorch emulates bfloat16 here,"
                    + " which is slower than --precision fp32 (bf16 pays off on CPUs with avx512_bf16 or amx_bf16 in"
                    + " /proc/cpuinfo, and on GPUs since Ampere)");
        }
        if (!device.isGpu() && compute.precision() == Precision.FP16) {
            return Optional.of("float16 arithmetic is emulated on CPUs and runs about 100x slower than float32: fp16 is"
                    + " for GPUs without bfloat16; on this machine use --precision bf16 or fp32");
        }
        return Optional.empty();
    }

    private static void tryKernels(Compute compute, Device device) {
        GptConfig tiny = new GptConfig(8, 4, 1, 2, 8, 0.0, true, PositionalEncoding.LEARNED, true);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Gpt gpt = new Gpt(tiny, compute);
            gpt.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4));
            for (Parameter p : gpt.getParameters().values()) {
                p.getArray().setRequiresGradient(false); // a probe: nothing here is trained
            }
            NDArray ids = manager.zeros(new Shape(1, 4), ai.djl.ndarray.types.DataType.INT32);
            gpt.forward(new ParameterStore(manager, false), new ai.djl.ndarray.NDList(ids), false);
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError("this engine cannot compute with --precision " + compute.precision().cliName()
                    + (compute.fusedAttention() ? " and fused attention" : "") + " on " + device + " (" + e.getMessage()
                    + "): use --precision fp32" + (compute.fusedAttention() ? " or --attention explicit" : ""));
        }
    }

    /** Whether Linux reports the CPU instructions that multiply bfloat16 natively (AVX-512 BF16 or AMX). */
    public static boolean cpuMultipliesBfloat16() {
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            return cpuinfo.contains(" avx512_bf16") || cpuinfo.contains(" amx_bf16");
        } catch (IOException | RuntimeException e) {
            return false; // not Linux: no way to tell, so the advice errs towards fp32
        }
    }
}
