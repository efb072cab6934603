package org.scratchgpt.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.config.ConfigFields;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.training.TrainingRun;
import org.scratchgpt.training.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt train}: train a GPT from a preset, or continue a run from a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a GPT on a corpus with DJL's Trainer, evaluating and checkpointing as it goes.",
            "Checkpoints go to <out>/latest and <out>/best; metrics to <out>/metrics.jsonl; the loss curve to loss.png."})
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--preset", defaultValue = "baby",
            description = "baby | shakespeare-char | gpt2-124m (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--corpus", paramLabel = "FILE", defaultValue = DefaultPaths.CORPUS,
            description = "The training text (default: ${DEFAULT-VALUE}); the last 10%% is the validation split.")
    Path corpus;

    @Option(names = "--tokenizer", paramLabel = "char|FILE",
            description = "char (a character-level vocabulary built from the corpus; the default for the char presets)"
                    + " or a tokenizer.json.")
    String tokenizer;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: models/<preset>).")
    Path out;

    @Option(names = "--set", paramLabel = "FIELD=VALUE",
            description = "Override a model or training field, e.g. --set max_iters=500 --set n_layer=2. Fields: "
                    + "${sys:scratchgpt.fields}")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "A JSON object of field overrides, e.g. {\"max_iters\": 500}; --set wins over it.")
    Path configFile;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue the run of this checkpoint (e.g. models/baby/latest) exactly where it stopped;"
                    + " --set may extend it, e.g. max_iters.")
    Path resume;

    @Option(names = "--checkpoint-activations", negatable = true,
            description = "Keep only each transformer block's input in the forward pass and recompute the block in the"
                    + " backward pass: much less memory for about a third more arithmetic, the same gradients. A resumed"
                    + " run keeps the choice it was trained with unless this or --no-checkpoint-activations is given.")
    Boolean checkpointActivations; // null: not given

    @Option(names = "--log-interval", defaultValue = "50",
            description = "Steps between log lines when there is no terminal for a progress bar (default: ${DEFAULT-VALUE}).")
    int logInterval;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

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
        Map<String, String> fields = fieldOverrides();
        boolean bar = !quiet && System.console() != null;
        TrainingRun.Summary summary;
        if (resume != null) {
            // A checkpoint's weights hold no device: one trained on a GPU continues on the CPU, and the other way.
            Optional<Compute> compute = computeOptions.given() ? Optional.of(computeOptions.compute()) : Optional.empty();
            Device chosen = device.resolve();
            memoryCheck.beforeResume(resume, TrainingSettings.select(fields, true), compute,
                    Optional.ofNullable(checkpointActivations), chosen);
            summary = TrainingRun.resume(resume, chosen, bar, logInterval,
                    TrainingSettings.select(fields, true), compute, Optional.ofNullable(checkpointActivations));
        } else {
            GptConfig model = FieldOverrides.model(preset, fields);
            TrainingSettings training = FieldOverrides.training(preset, fields);
            String tokenizerChoice = tokenizer != null ? tokenizer : defaultTokenizer();
            Path runDir = out != null ? out : Path.of("models", preset);
            Compute compute = computeOptions.compute();
            // After the settings are checked: a mistake there is reported before libtorch is loaded.
            Device chosen = device.resolve();
            memoryCheck.beforeStart(preset, model, training, compute, Boolean.TRUE.equals(checkpointActivations), chosen);
            summary = TrainingRun.start(new TrainingRun.Spec(preset, model, training, corpus, tokenizerChoice, runDir,
                    chosen, bar, logInterval, compute, Boolean.TRUE.equals(checkpointActivations)));
        }
        report(summary);
        return 0;
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
                throw new UserError("config file " + configFile + " not found");
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

    private void report(TrainingRun.Summary s) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "trained %d steps in %.0f s (%,.0f tokens/s)%n", s.steps(), s.trainingSeconds(),
                s.tokensPerSecond());
        out.printf(Locale.ROOT, "val loss %.4f (best %.4f), perplexity %.2f, %.3f bits per byte%n", s.valLoss(),
                s.bestValLoss(), s.last().perplexity(), s.last().bitsPerByte());
        out.println("checkpoints: " + s.runDir().resolve("latest") + " and " + s.runDir().resolve("best"));
        out.println("sample with: ./scratchgpt sample --checkpoint " + s.runDir().resolve("best"));
        out.flush();
    }
}
