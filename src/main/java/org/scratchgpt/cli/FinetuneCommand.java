package org.scratchgpt.cli;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.chat.ChatData;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.InitialWeights;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.config.ConfigFields;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.FinetuneSettings;
import org.scratchgpt.plan.MemoryEstimate;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.training.RunMode;
import org.scratchgpt.training.RunSpec;
import org.scratchgpt.training.StopRequest;
import org.scratchgpt.training.TrainingRun;
import org.scratchgpt.training.UnencodableText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt finetune}: train a trained model further on a new corpus. The run starts from the checkpoint's
 * weights, keeps its model and tokenizer, and has a fresh optimizer and its own, gentler schedule
 * ({@link FinetuneSettings}); its checkpoints record where they started ({@link org.scratchgpt.checkpoint.FinetunedFrom}).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a trained model on a new corpus: its weights, model and tokenizer, a fresh optimizer,"
                + " and a short schedule with a tenth of its learning rate.",
            "Checkpoints go to latest/ and best/ in --out, as train writes them, and record the checkpoint they were"
                + " fine-tuned from (its folder and the SHA-256 of its weights). Continue a stopped fine-tuning run"
                + " with `scratchgpt train --resume DIR/latest`."})
public final class FinetuneCommand implements java.util.concurrent.Callable<Integer> {
    /** The model fields a fine-tuning run may change: none of its shape, which the weights fix. */
    private static final String DROPOUT = "dropout";

    @Spec CommandSpec spec;

    @Option(names = "--from", paramLabel = "CHECKPOINT",
            description = "The checkpoint to start from: a run's best/ or latest/ (e.g. models/shakespeare-char/best),"
                    + " or a run folder for its best/ (e.g. one `scratchgpt import gpt2` wrote).")
    Path from;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "The new text; the last 10%% is its validation split. The checkpoint's tokenizer must be able"
                    + " to encode it.")
    Path corpus;

    @Option(names = "--chat", paramLabel = "FILE.jsonl",
            description = "Instruction tuning instead of --corpus: conversations, one {\"messages\": [{\"role\":"
                    + " \"user\", \"content\": ...}, {\"role\": \"assistant\", ...}]} per line, rendered with the"
                    + " chat template (whose special tokens are added to the tokenizer); the loss counts the"
                    + " assistant's tokens only. Talk with the result: `scratchgpt chat --checkpoint DIR/best`.")
    Path chat;

    @Option(names = "--chat-val", paramLabel = "FILE.jsonl",
            description = "Validation conversations for --chat (default: the last tenth of --chat's).")
    Path chatVal;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The fine-tuning run folder (default: models/<the source run>-finetuned).")
    Path out;

    @Option(names = "--set", paramLabel = "FIELD=VALUE",
            description = "Override a training field (or dropout), e.g. --set max_iters=500 --set learning_rate=3e-5."
                    + " Defaults: max_iters 200, learning_rate a tenth of the source's, min_lr a tenth of that,"
                    + " warmup_iters max_iters/20, lr_decay_iters max_iters, eval_interval max_iters/4, no gradient"
                    + " accumulation, a batch_size sized to the model and the device (a step of a second or so, at most"
                    + " the source's batch), eval_iters for about 40 sequences, the rest as the source was trained.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--overwrite",
            description = "Let the run delete the trained model already in its --out folder. Without it that is refused.")
    boolean overwrite;

    @Option(names = "--checkpoint-activations",
            description = "Recompute each block in the backward pass instead of keeping its activations: much less"
                    + " memory for about a third more arithmetic, the same gradients.")
    boolean checkpointActivations;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", hidden = true,
            description = "Not here: a fine-tuning run continues with `scratchgpt train --resume`.")
    Path resume;

    @Mixin
    LoraOptions loraOptions = new LoraOptions();

    @Mixin
    RunProgress progress = new RunProgress();

    @Mixin DeviceOption device;

    @Mixin
    ComputeOptions computeOptions = new ComputeOptions();

    @Mixin
    MemoryCheck memoryCheck = new MemoryCheck();

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            throw new UserError("a fine-tuning run is continued like any run, with `scratchgpt train --resume " + resume
                    + "`: its checkpoint holds the model, the fine-tuning schedule and where it was fine-tuned from");
        }
        requireGiven(from, "--from CHECKPOINT", "the checkpoint to fine-tune, e.g. --from models/shakespeare-char/best");
        if ((corpus == null) == (chat == null)) {
            throw new UserError(chat == null
                    ? "finetune needs --corpus FILE (the new text, e.g. --corpus data/fortunes.txt) or --chat FILE.jsonl"
                            + " (conversations to instruction-tune on)"
                    : "finetune takes --corpus FILE or --chat FILE.jsonl, not both: give one");
        }
        if (chatVal != null && chat == null) {
            throw new UserError("--chat-val validates instruction tuning: give --chat FILE.jsonl with it");
        }
        ChatData chatData = chat == null ? null : ChatData.read(chat, chatVal);
        Map<String, String> fields = fieldOverrides();
        int logInterval = logInterval(fields);
        var lora = loraOptions.settings(); // bad LoRA values fail before the checkpoint is read
        from = CheckpointArgument.toUse(spec, from); // a run folder: its best/
        InitialWeights source = InitialWeights.of(from); // a run folder, a missing or damaged checkpoint stops here
        Checkpoint.Contents contents = source.source();
        GptConfig model = contents.model().withOverrides(TrainingSettings.select(fields, false));
        // Checked now, sized for a CPU; sized again below once the device is known (that loads libtorch).
        finetuneSettings(contents, model, false);
        lora.ifPresent(settings -> settings.requireRankWithin(model));
        // Before any training, and before libtorch loads.
        if (chatData == null) {
            UnencodableText.requireEncodable(corpus, contents.tokenizer());
        } else {
            chatData.requireLearnable(contents.tokenizer(), model.contextLength());
        }
        Path runDir = out != null ? out : Path.of("models", source.runFolder().getFileName() + "-finetuned");
        source.requireOutside(runDir);
        OutputPaths.requireWritableFolder("the fine-tuning run folder", runDir, "give --out a folder, or a path where"
                + " one can be made, e.g. " + runDir + "-2");
        RunFolder.refuseFreshStartOverModel(runDir, overwrite); // before libtorch loads
        Compute compute = computeOptions.compute();
        Device chosen = device.resolveForTraining();
        TrainingSettings training = finetuneSettings(contents, model, chosen.isGpu());
        String preset = contents.state().preset();
        memoryCheck.beforeStart(preset, model, training, compute, checkpointActivations, chosen, lora);
        RunSpec run = RunSpec.builder()
                .preset(preset).model(model).training(training).corpus(chat == null ? corpus : chat)
                .runDir(runDir).device(chosen).showProgressBar(progress.bar()).logInterval(logInterval)
                .compute(compute).checkpointActivations(checkpointActivations)
                .build();
        TrainingRun.Summary summary;
        try (StopRequest stop = StopRequest.onSignals()) {
            TrainingRun.RunControl control = new TrainingRun.RunControl(overwrite, stop);
            summary = RunOutcome.removingNewFoldersOnFailure(runDir,
                    () -> TrainingRun.run(run, RunMode.finetune(source, lora, Optional.ofNullable(chatData)), control));
        }
        spec.commandLine().getOut().println("fine-tuned from " + source.provenance().describe());
        return RunOutcome.report(spec, summary);
    }

    /** {@link FinetuneSettings} for the source in {@code contents}, fine-tuned as {@code model}, on a GPU or not. */
    private TrainingSettings finetuneSettings(Checkpoint.Contents contents, GptConfig model, boolean gpu) {
        var target = new FinetuneSettings.ModelAndMachine(MemoryEstimate.parameterCount(model), model.contextLength(),
                gpu);
        return FinetuneSettings.of(contents.training(), target, TrainingSettings.select(overrides, true));
    }

    /**
     * --log-interval, or by default a line every twentieth of the run (at most every 50 steps): a fine-tuning run is
     * short, and a line every 50 of its 200 steps would leave it silent for most of its time.
     */
    private int logInterval(Map<String, String> fields) {
        int given = progress.logInterval(); // checked even when only the default
        if (spec.commandLine().getParseResult().hasMatchedOption("--log-interval")) {
            return given;
        }
        int maxIters = fields.containsKey("max_iters") ? ConfigFields.wholeNumber(fields, "max_iters")
                : FinetuneSettings.DEFAULT_MAX_ITERS;
        return Math.max(1, Math.min(given, maxIters / 20));
    }

    private static void requireGiven(Path value, String option, String what) {
        if (value == null) {
            throw new UserError("finetune needs " + option + ": give " + what);
        }
    }

    /** The --set fields: training fields, and dropout; the model's shape is the checkpoint's. */
    private Map<String, String> fieldOverrides() {
        FieldOverrides.requireKnown(overrides);
        for (String name : overrides.keySet()) {
            if (!TrainingSettings.isField(name) && !name.equals(DROPOUT)) {
                throw new UserError("--set " + name + " cannot change a fine-tuned model: its shape is the checkpoint's;"
                        + " only training fields and dropout can be set");
            }
        }
        return overrides;
    }
}
