package org.scratchgpt.cli;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.config.ByteSize;
import org.scratchgpt.io.ProcessMemory;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.ScheduleFollowsLength;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.MemoryEstimate.DeviceKind;
import org.scratchgpt.plan.MemoryEstimate;
import picocli.CommandLine.Option;

/**
 * {@code train}'s check, before the model is allocated, that the run fits in memory: the estimate {@code plan} makes
 * ({@link MemoryEstimate}) against what this machine has left plus what this process already holds. A run that does
 * not fit is refused with one line and the {@code plan} command that finds what fits, instead of failing in
 * libtorch's allocator or being killed by Linux's OOM killer midway. It also remembers that plan command, so that
 * {@link FriendlyErrors} can name it should an allocation fail all the same.
 *
 * <p>On a GPU nothing is checked: the CUDA estimate is derived, not measured, and the GPU's memory is not read here.
 */
final class MemoryCheck {

    @Option(names = "--no-memory-check",
            description = "Skip the check, before anything is allocated, that the memory estimate (plan's) fits in the"
                    + " memory available here (CPU only): the estimate is measured within 25%%, so a run just over it"
                    + " may still fit.")
    boolean skipped;

    /** The bytes this run may use, -1 where unknown. A seam: tests put a smaller machine here. */
    LongSupplier available = MemoryCheck::availableOnThisMachine;

    private String planCommand; // for the run checked last; null before the check

    /** Refuses, with a UserError, a new run that would need more memory than there is. */
    void beforeStart(String preset, GptConfig model, TrainingSettings training, Compute compute,
            boolean checkpointActivations, Device device) {
        beforeStart(preset, model, training, compute, checkpointActivations, device, Optional.empty());
    }

    /** The same for a run that trains {@code lora}'s adapters only, when given, on the frozen model. */
    void beforeStart(String preset, GptConfig model, TrainingSettings training, Compute compute,
            boolean checkpointActivations, Device device, Optional<LoraSettings> lora) {
        if (device.isGpu()) {
            planCommand = planCommand("<the GPU's memory>", "cuda", preset, model, training);
            return;
        }
        long bytes = available.getAsLong();
        MemoryEstimate.Options options = new MemoryEstimate.Options(compute.precision(), compute.fusedAttention(),
                checkpointActivations, DeviceKind.CPU);
        MemoryEstimate estimate = lora.map(adapters -> MemoryEstimate.withAdapters(model, training.batchSize(), options,
                        adapters.adapterParameters(model), adapters.adapterActivationsPerToken(model)))
                .orElseGet(() -> MemoryEstimate.of(model, training.batchSize(), options));
        planCommand = planCommand(bytes > 0 ? ByteSize.argument(bytes) : "SIZE", "cpu", preset, model, training);
        if (!skipped && bytes > 0 && estimate.total() > bytes) {
            throw new UserError(refusal(estimate, training.batchSize(), bytes, planCommand));
        }
    }

    /** The same for a run resumed from {@code checkpoint}, with the changes the command line makes to it. */
    void beforeResume(Path checkpoint, Map<String, String> trainingOverrides, Optional<Compute> compute,
            Optional<Boolean> checkpointActivations, Device device) throws IOException {
        Checkpoint.Contents run = Checkpoint.read(checkpoint);
        TrainingSettings training = run.training().withOverrides(
                ScheduleFollowsLength.fields(run.training(), trainingOverrides, run.state().step()));
        beforeStart(run.state().preset(), run.model(), training,
                compute.orElse(run.state().compute()),
                checkpointActivations.orElse(run.state().checkpointActivations()), device);
    }

    /** The plan command for the run checked last, e.g. {@code scratchgpt plan --memory 22.9GB --preset baby ...}. */
    Optional<String> planCommand() {
        return Optional.ofNullable(planCommand);
    }

    private static String refusal(MemoryEstimate e, int microBatch, long available, String plan) {
        return "this run needs an estimated " + ByteSize.format(e.total()) + " of memory (weights, gradients and"
                + " AdamW's moments " + ByteSize.format(e.parameters() + e.gradients() + e.optimizer())
                + ", activations of " + microBatch + " sequences " + ByteSize.format(e.activations())
                + ", runtime " + ByteSize.format(e.runtime()) + ") but " + ByteSize.format(available)
                + " is available here: find what fits with `" + plan + "`, or train anyway with --no-memory-check";
    }

    /**
     * {@code plan} for this run: the preset, and as --set fields every model and training field in which the run
     * differs from it (the ones given with --set or --config, or those of a resumed checkpoint).
     */
    private static String planCommand(String memory, String device, String preset, GptConfig model,
            TrainingSettings training) {
        List<String> words = new ArrayList<>(List.of("scratchgpt", "plan", "--memory", memory));
        if (!device.equals("cpu")) {
            words.addAll(List.of("--device", device));
        }
        // A checkpoint may name a preset this version does not have: then every field is given against the first.
        String base = Presets.names().contains(preset) ? preset : Presets.names().get(0);
        words.addAll(List.of("--preset", base));
        addDifferences(Presets.model(base).toJsonObject(), model.toJsonObject(), words);
        addDifferences(TrainingSettings.preset(base).toJsonObject(), training.toJsonObject(), words);
        return String.join(" ", words);
    }

    private static void addDifferences(JsonObject preset, JsonObject run, List<String> words) {
        for (String field : run.keySet()) {
            if (!run.get(field).equals(preset.get(field))) {
                words.addAll(List.of("--set", field + "=" + run.get(field).getAsString()));
            }
        }
    }

    /**
     * What this process may still take: the memory Linux can give without swapping, plus what the process holds
     * already (the estimate counts the JVM and libtorch too). -1 off Linux, where the check is skipped.
     */
    private static long availableOnThisMachine() {
        double free = ProcessMemory.systemAvailableMegabytes();
        double held = ProcessMemory.residentMegabytes();
        return free < 0 || held < 0 ? -1 : (long) ((free + held) * 1024 * 1024);
    }
}
