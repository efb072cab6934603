package org.scratchgpt.cli;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.config.ConfigFields;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.training.AttentionSnapshots;
import org.scratchgpt.training.Continuation;
import org.scratchgpt.training.RunMode;
import org.scratchgpt.training.RunSpec;
import org.scratchgpt.training.StopRequest;
import org.scratchgpt.training.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt train}: train a GPT from a preset, or continue a run from a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a GPT on a corpus with DJL's Trainer, evaluating and checkpointing as it goes.",
            "Checkpoints go to latest/ and best/ in the run folder (--out), each with the metrics and loss.png so far;"
                + " the metrics also go to metrics.jsonl in the run folder."})
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "baby",
            description = "baby | shakespeare-char | gpt2-124m | gpt2 | gpt2-medium | gpt2-large | gpt2-xl"
                    + " (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--corpus", paramLabel = "FILE", defaultValue = DefaultPaths.CORPUS,
            description = "The training text (default: ${DEFAULT-VALUE}); the last 10%% is the validation split.")
    Path corpus;

    @Option(names = "--dataset", paramLabel = "DIR",
            description = "Train on the token shards of a dataset made by `scratchgpt data prepare --out DIR` instead"
                    + " of --corpus: its train and val splits, memory-mapped, with its own tokenizer.")
    Path dataset;

    @Option(names = "--tokenizer", paramLabel = "char|FILE",
            description = "char (a character-level vocabulary built from the corpus; the default for the char presets)"
                    + " or a tokenizer.json.")
    String tokenizer;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: models/<preset>).")
    Path out;

    @Option(names = "--set", paramLabel = "FIELD=VALUE",
            description = "Override a model or training field, e.g. --set max_iters=500 --set n_layer=2; a max_iters"
                    + " without lr_decay_iters moves the learning rate's decay (and warmup) with it. Fields: "
                    + "${sys:scratchgpt.fields}.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "A JSON object of field overrides, e.g. {\"max_iters\": 500}; --set wins over it.")
    Path configFile;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue the run of this checkpoint (e.g. models/baby/latest, or the run folder models/baby"
                    + " for its latest/) exactly where it stopped;"
                    + " --set may extend it, e.g. max_iters.")
    Path resume;

    @Option(names = "--chat", paramLabel = "FILE.jsonl",
            description = "With --resume, for an instruction-tuning run whose chat file has moved: the same"
                    + " conversations (recognised by their SHA-256) at their new path.")
    Path chat;

    @Option(names = "--chat-val", paramLabel = "FILE.jsonl",
            description = "With --resume, the same for its validation file (finetune --chat-val).")
    Path chatVal;

    @Option(names = "--overwrite",
            description = "Let a new run delete the trained model already in its --out folder, or a run resumed from"
                    + " best/ (or a copy) replace a later latest/. Without it both are refused, so no model is lost.")
    boolean overwrite;

    @Option(names = "--checkpoint-activations", negatable = true,
            description = "Keep only each transformer block's input in the forward pass and recompute the block in the"
                    + " backward pass: much less memory for about a third more arithmetic, the same gradients. A resumed"
                    + " run keeps the choice it was trained with unless this or --no-checkpoint-activations is given.")
    Boolean checkpointActivations; // null: not given

    @Mixin
    RunProgress progress = new RunProgress();

    @Option(names = "--attention-text", paramLabel = "TEXT",
            description = "Keep snapshots of the model's attention on this text as it trains, in attention/ of the run"
                    + " folder; draw them with `scratchgpt attention --run DIR`.")
    String attentionText;

    @Option(names = "--attention-steps", paramLabel = "STEP,...", split = ",",
            description = "The steps at which to keep them, e.g. 0,50,100 (default: at every evaluation).")
    List<Long> attentionSteps = new ArrayList<>();

    @Mixin DeviceOption device;

    @Mixin
    ComputeOptions computeOptions = new ComputeOptions();

    @Mixin
    MemoryCheck memoryCheck = new MemoryCheck();

    static {
        System.setProperty("scratchgpt.fields", String.join(", ", FieldOverrides.allFields()));
    }

    @Override
    public Integer call() throws IOException {
        int logInterval = progress.logInterval();
        Map<String, String> fields = fieldOverrides();
        boolean bar = progress.bar();
        TrainingRun.Summary summary;
        // Ctrl-C and SIGTERM stop after the current step, with latest/ written, instead of losing the steps since
        // the last evaluation.
        try (StopRequest stop = StopRequest.onSignals()) {
            TrainingRun.RunControl control = new TrainingRun.RunControl(overwrite, stop, attentionPlan());
            summary = resume != null ? resume(fields, bar, logInterval, control) : start(fields, bar, logInterval, control);
        }
        return RunOutcome.report(spec, summary);
    }

    /** The snapshots of attention asked for, checked before any work. */
    private AttentionSnapshots.Plan attentionPlan() {
        if (attentionText == null) {
            if (!attentionSteps.isEmpty()) {
                throw new UserError("--attention-steps needs --attention-text TEXT: the text whose attention to keep");
            }
            return AttentionSnapshots.Plan.NONE;
        }
        if (attentionText.isEmpty()) {
            throw new UserError("--attention-text is empty: give the text whose attention to keep, e.g. \"ROMEO:\"");
        }
        for (long step : attentionSteps) {
            if (step < 0) {
                throw new UserError("--attention-steps " + step + " is negative: give steps from 0, e.g. 0,50,100");
            }
        }
        return new AttentionSnapshots.Plan(attentionText, attentionSteps);
    }

    private TrainingRun.Summary resume(Map<String, String> fields, boolean bar, int logInterval,
            TrainingRun.RunControl control) throws IOException {
        resume = CheckpointArgument.toResume(spec, resume); // a run folder: its latest/, where it stopped
        refuseOptionsThatResumeIgnores();
        // A checkpoint's weights hold no device: one trained on a GPU continues on the CPU, and the other way.
        Optional<Compute> compute = computeOptions.given() ? Optional.of(computeOptions.compute()) : Optional.empty();
        Device chosen = device.resolveForTraining();
        memoryCheck.beforeResume(resume, TrainingSettings.select(fields, true), compute,
                Optional.ofNullable(checkpointActivations), chosen);
        Continuation how = Continuation.builder()
                .device(chosen).showProgressBar(bar).logInterval(logInterval)
                .trainingOverrides(TrainingSettings.select(fields, true))
                .compute(compute).checkpointActivations(Optional.ofNullable(checkpointActivations))
                .corpus(given("--corpus") ? Optional.of(corpus) : Optional.empty()).dataset(Optional.ofNullable(dataset))
                .chat(Optional.ofNullable(chat)).chatVal(Optional.ofNullable(chatVal))
                .build();
        return TrainingRun.resume(resume, how, control);
    }

    private TrainingRun.Summary start(Map<String, String> fields, boolean bar, int logInterval,
            TrainingRun.RunControl control) throws IOException {
        if (chat != null || chatVal != null) {
            throw new UserError("--chat and --chat-val only point a resumed run (--resume) at its moved conversations:"
                    + " to instruction-tune a model, use `scratchgpt finetune --from CHECKPOINT --chat FILE.jsonl`");
        }
        GptConfig model = FieldOverrides.model(preset, fields);
        TrainingSettings training = FieldOverrides.training(preset, fields);
        String tokenizerChoice = dataset != null ? DatasetOption.tokenizer(dataset, tokenizer, given("--corpus"))
                : tokenizer != null ? tokenizer : defaultTokenizer();
        Path runDir = out != null ? out : Path.of("models", preset);
        OutputPaths.requireWritableFolder("the run folder", runDir, "give --out a folder, or a path where one"
                + " can be made, e.g. models/" + preset + "-2");
        if (dataset != null) { // a run inside the dataset is deleted by the next `data prepare --force` of it
            OutputPaths.requireApart("--out " + runDir, runDir, "--dataset " + dataset, dataset, "give --out a run"
                    + " folder outside the dataset, e.g. models/" + preset);
        }
        Compute compute = computeOptions.compute();
        // After the settings are checked (a mistake there is the first thing to fix), before libtorch loads.
        RunFolder.refuseFreshStartOverModel(runDir, overwrite);
        Device chosen = device.resolveForTraining();
        memoryCheck.beforeStart(preset, model, training, compute, Boolean.TRUE.equals(checkpointActivations), chosen);
        // A vocab_size the user gave is kept as given; the preset's may grow to fit the tokenizer.
        boolean vocabSizeGiven = fields.containsKey("vocab_size");
        RunSpec run = RunSpec.builder()
                .preset(preset).model(model).training(training)
                .corpus(dataset != null ? null : corpus).dataset(dataset)
                .runDir(runDir).device(chosen).showProgressBar(bar).logInterval(logInterval)
                .compute(compute).checkpointActivations(Boolean.TRUE.equals(checkpointActivations))
                .build();
        RunMode pretraining = new RunMode.Pretraining(tokenizerChoice, vocabSizeGiven);
        return RunOutcome.removingNewFoldersOnFailure(runDir, () -> TrainingRun.run(run, pretraining, control));
    }

    /**
     * A resumed run is the checkpoint's run: its folder, model, tokenizer and text. Options that would say
     * otherwise were silently ignored once; now they are refused. --corpus is accepted (the same text at another
     * path) and checked by its SHA-256.
     */
    private void refuseOptionsThatResumeIgnores() {
        if (given("--preset")) {
            throw new UserError("--preset cannot change a resumed run: its model comes from " + resume + "; leave out"
                    + " --preset, or start a new run without --resume");
        }
        if (tokenizer != null) {
            throw new UserError("--tokenizer cannot change a resumed run: its tokenizer is " + resume.resolve(
                    org.scratchgpt.checkpoint.Checkpoint.TOKENIZER) + "; leave out --tokenizer, or start a new run");
        }
        Path runDir = resume.toAbsolutePath().getParent();
        if (out != null && !out.toAbsolutePath().normalize().equals(runDir.normalize())) {
            throw new UserError("--out cannot move a resumed run: it continues in its own folder " + runDir + "; to"
                    + " continue elsewhere, copy that folder and resume from the copy's latest/");
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private String defaultTokenizer() {
        if (preset.endsWith("char") || preset.equals("baby")) {
            return "char";
        }
        throw new UserError("preset " + preset + " needs a tokenizer: pass --tokenizer FILE (e.g. GPT-2's tokenizer.json,"
                + " or one from `scratchgpt tokenizer train`), or --tokenizer char");
    }

    private Map<String, String> fieldOverrides() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new UserError("config file " + configFile + (Files.isDirectory(configFile) ? " is a folder"
                        : " not found") + ": give --config the path of a JSON file of field overrides, e.g. one that"
                        + " holds {\"max_iters\": 500}");
            }
            fields.putAll(new ConfigFields("config file " + configFile, FieldOverrides.allFields())
                    .fromJson(Files.readString(configFile)));
        }
        fields.putAll(overrides);
        FieldOverrides.requireKnown(fields);
        if (resume != null && fields.keySet().stream().anyMatch(name -> !TrainingSettings.isField(name))) {
            throw new UserError("a resumed run keeps its model's shape: only training fields can be changed with --resume");
        }
        return fields;
    }
}
