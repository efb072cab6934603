package org.scratchgpt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.LibUtils;

/**
 * For the tests tagged {@value #TAG}. The default test run leaves them out (pom.xml); {@code .ci/gpu-tests} runs
 * exactly them, on DJL's CUDA libtorch. Asked for on a machine where libtorch finds no GPU, they fail and say so:
 * a skip there would report a green run that tested nothing.
 */
public final class Gpus {
    public static final String TAG = "gpu";

    private Gpus() {}

    /** Fails the test, saying why, unless libtorch loads and sees a GPU. */
    public static void require() {
        int count;
        try {
            count = Engine.getInstance().getGpuCount();
        } catch (EngineException e) {
            throw new AssertionError("DJL could not load libtorch; with .ci/gpu-tests it fetches the CUDA build on first"
                    + " use, which needs the network once: " + e.getMessage()
                    + (e.getCause() != null ? ": " + e.getCause() : ""), e);
        }
        assertTrue(count > 0, "libtorch (" + LibUtils.getLibtorchPath() + ") finds no GPU: the tests tagged " + TAG
                + " run with .ci/gpu-tests on a machine with an NVIDIA GPU (a driver for CUDA 12.8 or newer)");
    }
}
