package org.scratchgpt.cli;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scratchgpt.UserError;

/**
 * The libtorch this process runs on, and the GPUs it can use. DJL chooses it once, when the engine first loads: the
 * CPU build inside the {@code pytorch-native-cpu} jar when that jar is on the classpath (the default here, and in
 * the tests), otherwise the build it fetches into its cache, named by {@code PYTORCH_FLAVOR} ({@code cu128}: CUDA
 * 12.8; the launcher's {@code SCRATCHGPT_LIBTORCH=cu128} and the Docker image set it). A CPU build never sees a GPU.
 *
 * @param version  libtorch's version, e.g. 2.7.1
 * @param flavor   the build: {@code cpu}, or {@code cu128} for CUDA 12.8 (read from DJL's folder name)
 * @param folder   where DJL put that libtorch
 * @param gpuCount the GPUs it can use: 0 for a CPU build, and for a CUDA build that finds no GPU or driver
 */
record Libtorch(String version, String flavor, Path folder, int gpuCount) {

    // DJL names the folder version-flavor-os-arch, e.g. 2.7.1-20250812-cpu-linux-x86_64 or 2.7.1-cu128-linux-x86_64.
    private static final Pattern FLAVOR = Pattern.compile(".*-(cpu|cu\\d+)(?:-precxx11)?-(?:linux|osx|win)-[^-]+");

    /** Loads the engine (on the first call) and says what it found. */
    static Libtorch loaded() {
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (EngineException e) {
            throw new UserError("libtorch could not be loaded (" + causes(e) + "). The CPU libtorch comes with the build;"
                    + " the CUDA one (SCRATCHGPT_LIBTORCH=cu128, or the Docker image) is fetched by DJL at first use,"
                    + " which needs the network once (DJL_OFFLINE not true), and needs an NVIDIA driver for CUDA 12.8 or"
                    + " newer (in Docker: docker run --gpus all)", e);
        }
        Path folder = Path.of(LibUtils.getLibtorchPath());
        return new Libtorch(engine.getVersion(), flavorOf(folder), folder, engine.getGpuCount());
    }

    /** The build named in a DJL libtorch folder; "unknown" for a folder DJL did not name (PYTORCH_LIBRARY_PATH). */
    static String flavorOf(Path folder) {
        Matcher m = FLAVOR.matcher(folder.getFileName().toString());
        return m.matches() ? m.group(1) : "unknown";
    }

    boolean isCudaBuild() {
        return flavor.startsWith("cu");
    }

    /** One line for people: "libtorch 2.7.1, CUDA build cu128 (/root/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64)". */
    String describe() {
        String build = isCudaBuild() ? "CUDA build " + flavor : flavor.equals("cpu") ? "CPU build" : "build " + flavor;
        return "libtorch " + version + ", " + build + " (" + folder + ")";
    }

    /**
     * DJL wraps the reason (no network, a missing driver library) a few levels down: each level once, the deeper
     * ones with their class, since "publish.djl.ai" alone does not say that the host was not found.
     */
    private static String causes(EngineException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (text.indexOf(String.valueOf(t.getMessage())) < 0) {
                text.append(": ").append(t);
            }
        }
        return text.toString().replaceAll("\\s+", " "); // one line, as every error here
    }
}
