package org.scratchgpt.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scratchgpt.UserError;
import org.scratchgpt.config.ByteSize;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.MemoryEstimate.DeviceKind;
import org.scratchgpt.plan.MemoryEstimate.Options;
import org.scratchgpt.plan.MemoryEstimate;
import org.scratchgpt.plan.MemoryPlan;
import org.scratchgpt.plan.PrecisionSpeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt plan}: how much memory a training run needs, and settings that make it fit a budget. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate the memory a training run needs, and propose settings that fit a budget.",
            "The estimate counts weights, gradients, AdamW's moments and activations; the proposal is a micro-batch"
                + " size, gradient accumulation, activation checkpointing and precision that fit, keeping the preset's"
                + " tokens per step. Nothing is allocated: the estimate is arithmetic. A note proposes bf16 for speed"
                + " only where a short matrix product on this machine measures it faster than float32."})
public final class PlanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "baby",
            description = "baby | shakespeare-char | gpt2-124m | gpt2 | gpt2-medium | gpt2-large | gpt2-xl"
                    + " (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--memory", required = true, paramLabel = "SIZE",
            description = "The memory to fit in: the RAM for cpu, the GPU's memory for cuda; e.g. 16GB, 512MB, 1.5GiB"
                    + " (kB, MB, GB count in 1000s; KiB, MiB, GiB in 1024s).")
    String memory;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda",
            description = "Where training will run (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--set", paramLabel = "FIELD=VALUE",
            description = "Override a model or training field, as train does, e.g. --set n_layer=8. Fields: "
                    + "${sys:scratchgpt.fields}.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        FieldOverrides.requireKnown(overrides);
        long budget = ByteSize.parse(memory);
        DeviceKind kind = deviceKind(device);
        GptConfig model = FieldOverrides.model(preset, overrides);
        TrainingSettings training = FieldOverrides.training(preset, overrides);
        MemoryPlan plan = MemoryPlan.propose(model, training, budget, Options.plain(kind));

        PrintWriter out = spec.commandLine().getOut();
        describe(out, model, training, kind, budget);
        table(out, plan);
        if (!plan.fits()) {
            out.flush();
            throw new UserError("nothing fits in " + ByteSize.format(budget) + ": even a micro-batch of "
                    + sequences(plan.microBatch()) + ", with " + options(plan.options(), " and ") + ", needs "
                    + ByteSize.format(plan.estimate().total()) + ", " + ByteSize.format(plan.shortfall())
                    + " more: plan a smaller model (--set n_layer=, n_embd=), a shorter context_length, or more memory");
        }
        out.println("fits: " + settings(plan));
        out.println("  " + trainCommand(plan, kind));
        notes(plan).forEach(note -> out.println("note: " + note));
        out.flush();
        return 0;
    }

    /** cpu or cuda; {@code cuda:N} (one GPU of several) plans the same as cuda. */
    private static DeviceKind deviceKind(String name) {
        String text = name.strip().toLowerCase(Locale.ROOT);
        if (text.equals("cpu")) {
            return DeviceKind.CPU;
        }
        if (text.equals("cuda") || text.matches("cuda:\\d+")) {
            return DeviceKind.CUDA;
        }
        throw new UserError("unknown device '" + name + "': plan for cpu or cuda");
    }

    private void describe(PrintWriter out, GptConfig model, TrainingSettings training, DeviceKind kind, long budget) {
        List<String> changed = new ArrayList<>();
        overrides.forEach((field, value) -> changed.add(field + "=" + value));
        out.printf(Locale.ROOT, "Plan for %s%s on %s within %s%n", preset,
                changed.isEmpty() ? "" : " with " + String.join(", ", changed), kind.name().toLowerCase(Locale.ROOT),
                ByteSize.format(budget));
        out.printf(Locale.ROOT, "model: %d layers, %d heads, %d wide, context %d, vocabulary %d: %.1fM parameters%n",
                model.layers(), model.heads(), model.embeddingWidth(), model.contextLength(), model.vocabSize(),
                MemoryEstimate.parameterCount(model) / 1e6);
        out.printf(Locale.ROOT, "each step: %d sequences of %d tokens (batch_size %d x gradient_accumulation_steps %d),"
                + " kept%n%n", training.batchSize() * training.accumulationSteps(), model.contextLength(),
                training.batchSize(), training.accumulationSteps());
    }

    private static void table(PrintWriter out, MemoryPlan plan) {
        MemoryEstimate e = plan.estimate();
        out.println("| memory | estimate |");
        out.println("|---|---:|");
        row(out, "parameters (float32)", e.parameters());
        row(out, "gradients (float32)", e.gradients());
        row(out, "optimizer (AdamW's two moments, float32)", e.optimizer());
        row(out, "activations (micro-batch of " + sequences(plan.microBatch()) + ")", e.activations());
        row(out, plan.options().device() == DeviceKind.CUDA ? "runtime (CUDA context, allocator)"
                : "runtime (JVM, libtorch)", e.runtime());
        row(out, "total", e.total());
        row(out, "budget", plan.budget());
        out.println();
    }

    private static void row(PrintWriter out, String what, double bytes) {
        out.printf(Locale.ROOT, "| %-44s | %10s |%n", what, ByteSize.format(bytes));
    }

    /** The plan in words: micro-batch, accumulation, checkpointing, precision. */
    private static String settings(MemoryPlan plan) {
        return String.format(Locale.ROOT, "batch_size %d x gradient_accumulation_steps %d, %s", plan.microBatch(),
                plan.accumulationSteps(), options(plan.options(), ", "));
    }

    private static String sequences(int count) {
        return count + (count == 1 ? " sequence" : " sequences");
    }

    /** Checkpointing and precision in words, joined by {@code and}. */
    private static String options(Options o, String and) {
        return (o.checkpointActivations() ? "activation checkpointing" : "every activation kept") + and
                + (o.precision() == Precision.FP32 ? "float32" : o.precision().cliName());
    }

    /** The train command line that runs the plan; the user's other --set fields come along. */
    private String trainCommand(MemoryPlan plan, DeviceKind kind) {
        List<String> words = new ArrayList<>(List.of("./scratchgpt", "train", "--preset", preset));
        if (kind == DeviceKind.CUDA) {
            words.addAll(List.of("--device", device.strip().toLowerCase(Locale.ROOT)));
        }
        overrides.forEach((field, value) -> {
            if (!field.equals("batch_size") && !field.equals("gradient_accumulation_steps")) {
                words.addAll(List.of("--set", field + "=" + value));
            }
        });
        words.addAll(List.of("--set", "batch_size=" + plan.microBatch(),
                "--set", "gradient_accumulation_steps=" + plan.accumulationSteps()));
        if (plan.options().checkpointActivations()) {
            words.add("--checkpoint-activations");
        }
        if (plan.options().precision() != Precision.FP32) {
            words.addAll(List.of("--precision", plan.options().precision().cliName()));
        }
        return String.join(" ", words);
    }

    /** What the user should know about the options the plan turned on. */
    private static List<String> notes(MemoryPlan plan) {
        Options o = plan.options();
        List<String> notes = new ArrayList<>();
        if (o.checkpointActivations()) {
            notes.add("activation checkpointing keeps only each block's input and recomputes the block in backward:"
                    + " about a third more arithmetic, the same results");
        }
        if (o.device() == DeviceKind.CPU) {
            notes.add(bf16NoteForThisCpu());
        } else {
            notes.add("add --precision bf16 for speed (about the same memory) on an Ampere or newer GPU (A100, RTX 30x0,"
                    + " H100); on an older one use --precision fp16. Not measured: plan measures only this machine's"
                    + " CPU; `scratchgpt bench train --device cuda --precision bf16` measures the GPU");
        }
        if (o.device() == DeviceKind.CUDA) {
            notes.add("the CPU figures are measured (within 25%); the CUDA ones are derived, not yet measured");
        }
        return notes;
    }

    /** The note on bf16 for a CPU plan, from a short product measured on this machine's CPU. */
    private static String bf16NoteForThisCpu() {
        try {
            Libtorch.loaded(); // a clear message, not a stack trace, if libtorch cannot load
            return bf16Note(PrecisionSpeed.on(Device.cpu(), Precision.BF16));
        } catch (UserError e) {
            return "bf16's speed was not measured, so the plan keeps float32: " + e.getMessage();
        }
    }

    /** bf16 is proposed for speed only where it was measured faster than float32 (it also saves some activation memory, but changes the arithmetic: the user chooses). */
    static String bf16Note(PrecisionSpeed bf16) {
        return bf16.fasterThanFloat32()
                ? bf16.measured() + ": add --precision bf16 for speed, at about the same memory"
                : bf16.measured() + ", so the plan keeps float32";
    }
}
