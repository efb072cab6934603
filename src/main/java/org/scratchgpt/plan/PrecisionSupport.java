package org.scratchgpt.plan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;

/**
 * Before a run starts: can this engine and device compute as asked, and will it be fast? The kernels are run
 * once on a tiny model, so a libtorch that cannot do them fails here with a clear message instead of at step
 * one. Whether it is fast is measured ({@link PrecisionSpeed}): it depends on the chip and on the kernels libtorch
 * has for it, which no CPU flag tells (the same AVX-512 BF16 flag came with 4x float32's speed on one CPU and half
 * of it on another).
 */
public final class PrecisionSupport {
    private PrecisionSupport() {}

    /** Fails with a UserError when the kernels do not run; returns a warning when they run slower than float32. */
    public static Optional<String> check(Compute compute, Device device) {
        tryKernels(compute, device);
        return PrecisionSpeed.on(device, compute.precision()).trainingWarning();
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
}
