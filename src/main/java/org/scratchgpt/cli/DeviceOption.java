package org.scratchgpt.cli;

import ai.djl.Device;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --device} option of every command that runs the model: train, sample and bench train. */
final class DeviceOption {
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", defaultValue = DeviceChoice.AUTO,
            description = {"Where the model runs: auto (the first GPU if this process's libtorch can use one, else the"
                + " CPU), cpu, cuda (the first GPU) or cuda:N (default: ${DEFAULT-VALUE}).",
                "A GPU needs DJL's CUDA libtorch: SCRATCHGPT_LIBTORCH=cu128 ./scratchgpt ..., or the Docker image."})
    String choice;

    /**
     * Loads libtorch and returns the chosen device. What auto chose is said with {@code --verbose} only: a command
     * that printed it every time would bury its own few lines under it.
     */
    Device resolve() {
        return resolve(false);
    }

    /** The same for a training run, which says once, as it starts, where it trains: {@code train}, {@code finetune}. */
    Device resolveForTraining() {
        return resolve(true);
    }

    /**
     * What auto chose goes to standard error, so that it never mixes with the text a command prints (sample's
     * output is the generated text).
     */
    private Device resolve(boolean say) {
        Libtorch libtorch = Libtorch.loaded();
        Device device = DeviceChoice.parse(choice, libtorch);
        if ((say || Verbose.on()) && choice.strip().equalsIgnoreCase(DeviceChoice.AUTO)) {
            command.commandLine().getErr().println(DeviceChoice.autoReport(device, libtorch));
            command.commandLine().getErr().flush();
        }
        return device;
    }
}
