package org.scratchgpt.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.generation.Generation;
import org.scratchgpt.generation.SamplingSettings;
import org.scratchgpt.generation.TextGenerator;
import org.scratchgpt.lora.LoraCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt sample}: let a trained model write, streaming its text as it comes. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate text from a checkpoint, printing each piece as soon as it is produced.")
public final class SampleCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "models/baby/best",
            description = "A checkpoint folder (default: ${DEFAULT-VALUE}).")
    Path checkpoint;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "The text to continue (default: start of a document).")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "500",
            description = "Tokens to generate, 1 or more; fewer if --stop-at-end-of-text stops first (default:"
                    + " ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin SamplingOptions sampling = new SamplingOptions();

    @Option(names = "--stop-at-end-of-text", description = "Stop at <|endoftext|> if the tokenizer has it.")
    boolean stopAtEndOfText;

    @Option(names = "--num-samples", paramLabel = "N", defaultValue = "1",
            description = "Samples of the prompt, generated together as one batch; sample i uses seed + i, each"
                    + " printed under its own header (default: ${DEFAULT-VALUE}).")
    int numSamples;

    @Option(names = "--no-kv-cache", description = "Run the whole window through the model at every step instead"
            + " of keeping keys and values (the slower reference; same text).")
    boolean noKvCache;

    @Option(names = "--base", paramLabel = "DIR", description = "For a LoRA checkpoint whose base model moved: the"
            + " base checkpoint (its weights must be the same, checked by SHA-256). Default: the folder it names.")
    Path base;

    @Mixin DeviceOption device;

    @Mixin ComputeOptions computeOptions = new ComputeOptions();

    @Override
    public Integer call() throws IOException {
        // Checked before the checkpoint is read, so that a mistyped setting fails at once.
        if (numSamples < 1) {
            throw new UserError("--num-samples must be 1 or more, got " + numSamples);
        }
        SamplingSettings settings = sampling.settings(maxTokens);
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        if (stopAtEndOfText) {
            Integer endOfText = contents.tokenizer().specialTokens().get("<|endoftext|>");
            if (endOfText == null) {
                throw new UserError("--stop-at-end-of-text: this checkpoint's tokenizer has no <|endoftext|> token");
            }
            settings = settings.withStopToken(endOfText);
        }
        // A LoRA checkpoint's base is found and checked first: a moved or changed base is one line, before any work.
        Optional<Path> loraBase = LoraCheckpoint.isLora(checkpoint)
                ? Optional.of(LoraCheckpoint.verifiedBase(contents, Optional.ofNullable(base))) : Optional.empty();
        Device chosen = device.resolve();
        PrintWriter out = spec.commandLine().getOut();
        // The weights load onto the model's device, wherever they were trained: a checkpoint holds no device.
        try (Model model = Model.newInstance("scratchgpt", chosen)) {
            // The same weights, any precision; a LoRA checkpoint is its base model plus its adapters.
            model.setBlock(LoraCheckpoint.newGpt(contents, computeOptions.compute()));
            LoraCheckpoint.loadInto(model, contents, new Shape(1, contents.model().contextLength()), loraBase);
            try (TextGenerator generator = new TextGenerator(model, contents.model(), contents.tokenizer(), !noKvCache)) {
                if (numSamples == 1) {
                    out.print(prompt);
                    generator.generate(prompt, settings, piece -> {
                        out.print(piece);
                        out.flush();
                    });
                    out.println();
                } else {
                    printSamples(out, generator.generateSamples(prompt, settings, numSamples, i -> piece -> {}), settings);
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The batch's streams grow together, so each is printed whole once done, under a header naming its seed. */
    private void printSamples(PrintWriter out, List<Generation> samples, SamplingSettings settings) {
        for (int i = 0; i < samples.size(); i++) {
            out.printf("--- sample %d of %d (seed %d) ---%n", i + 1, samples.size(), settings.seed() + i);
            out.println(prompt + samples.get(i).newText());
        }
    }
}
