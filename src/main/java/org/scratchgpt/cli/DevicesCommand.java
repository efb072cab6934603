package org.scratchgpt.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt devices}: which libtorch this process loads and which GPUs it can use. Loading is also what
 * makes DJL fetch the CUDA libtorch into its cache, so the Docker image runs this once while it is built.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Load libtorch and show what --device can choose.",
            "Shows the libtorch build (CPU or CUDA), its GPUs, and what --device auto picks. With"
                + " SCRATCHGPT_LIBTORCH=cu128 the first run fetches DJL's CUDA libtorch (2.7.1, CUDA 12.8) into its"
                + " cache."})
public final class DevicesCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        Libtorch libtorch = Libtorch.loaded();
        PrintWriter out = spec.commandLine().getOut();
        out.println(libtorch.describe());
        out.println("GPUs: " + (libtorch.gpuCount() == 0 ? "none" : DeviceChoice.gpuNames(libtorch.gpuCount())));
        out.println("--device auto picks " + DeviceChoice.name(DeviceChoice.parse(DeviceChoice.AUTO, libtorch)));
        out.flush();
    }
}
