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
import org.scratchgpt.model.Gpt;
import org.scratchgpt.quantize.GenerationWeights;
import org.scratchgpt.quantize.WeightFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt sample}: let a trained model write, streaming its text as it comes. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate text from a checkpoint, printing each piece as soon as it is produced.")
public final class SampleCommand implements java.util.concurrent.Callable<Integer> {
    /**
     * Samples generated together: a batch shares each forward pass, but its memory grows with it (a batch of 100,000
     * took a 24 GB machine), so many samples come a few at a time, and each batch is printed as soon as it is done.
     */
    static final int SAMPLES_PER_BATCH = 8;

    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "models/baby/best",
            description = "A checkpoint folder, or a run folder for its best/ (default: ${DEFAULT-VALUE}).")
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
            description = "Samples of the prompt, generated in batches of up to " + SAMPLES_PER_BATCH + " and printed"
                    + " as each batch is done, under a header each; sample i uses seed + i (default: ${DEFAULT-VALUE}).")
    int numSamples;

    @Option(names = "--no-kv-cache", description = "Run the whole window through the model at every step instead"
            + " of keeping keys and values (the slower reference; same text).")
    boolean noKvCache;

    @Option(names = "--base", paramLabel = "DIR", description = "For a LoRA checkpoint whose base model moved: the"
            + " base checkpoint (its weights must be the same, checked by SHA-256). Default: the folder it names.")
    Path base;

    @Mixin DeviceOption device;

    @Mixin ComputeOptions computeOptions = new ComputeOptions();

    @Mixin QuantizeOption quantizeOption = new QuantizeOption();

    @Override
    public Integer call() throws IOException {
        // Checked before the checkpoint is read, so that a mistyped setting fails at once.
        if (numSamples < 1) {
            throw new UserError("--num-samples must be 1 or more, got " + numSamples);
        }
        SamplingSettings settings = sampling.settings(maxTokens);
        WeightFormat weights = quantizeOption.format(computeOptions.compute());
        checkpoint = CheckpointArgument.toUse(spec, checkpoint); // a run folder: its best/
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        if (stopAtEndOfText) {
            Integer endOfText = contents.tokenizer().specialTokens().get("<|endoftext|>");
            if (endOfText == null) {
                throw new UserError("--stop-at-end-of-text: this checkpoint's tokenizer has no <|endoftext|> token");
            }
            settings = settings.withStopToken(endOfText);
        }
        // A LoRA checkpoint's base is found and checked first: a moved or changed base is one line, before any work.
        Optional<Path> movedBase = Optional.ofNullable(base).map(given -> CheckpointArgument.toUse(spec, given));
        Optional<Path> loraBase = LoraCheckpoint.isLora(checkpoint)
                ? Optional.of(LoraCheckpoint.verifiedBase(contents, movedBase)) : Optional.empty();
        if (loraBase.isPresent() && weights == WeightFormat.INT8) {
            throw new UserError("--quantize int8 converts a plain model, and " + checkpoint + " is LoRA adapters on a"
                    + " base: merge them into an ordinary checkpoint first (scratchgpt lora merge), then sample that");
        }
        Device chosen = device.resolve();
        PrintWriter out = spec.commandLine().getOut();
        // The weights load onto the model's device, wherever they were trained: a checkpoint holds no device.
        try (Model model = Model.newInstance("scratchgpt", chosen)) {
            // The same weights, any precision; a LoRA checkpoint is its base model plus its adapters.
            model.setBlock(LoraCheckpoint.newGpt(contents, computeOptions.compute()));
            LoraCheckpoint.loadInto(model, contents, new Shape(1, contents.model().contextLength()), loraBase);
            if (loraBase.isEmpty()) { // LoRA's projections stay as they are: in 16 bits they cast at every call
                GenerationWeights.convert((Gpt) model.getBlock(), weights); // read fewer bytes per token
            }
            try (TextGenerator generator = new TextGenerator(model, contents.model(), contents.tokenizer(), !noKvCache)) {
                if (numSamples == 1) {
                    out.print(prompt);
                    generator.generate(prompt, settings, piece -> {
                        out.print(piece);
                        out.flush();
                    });
                    out.println();
                } else {
                    printSamples(out, generator, settings);
                }
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Batch after batch of up to {@link #SAMPLES_PER_BATCH} samples; a batch's streams grow together, so each of its
     * samples is printed whole once the batch is done, under a header naming its seed. Sample i of the whole run
     * draws with seed + i, whichever batch it falls in.
     */
    private void printSamples(PrintWriter out, TextGenerator generator, SamplingSettings settings) {
        for (int done = 0, count; done < numSamples; done += count) {
            count = Math.min(SAMPLES_PER_BATCH, numSamples - done); // done + count never passes numSamples: no overflow
            List<Generation> batch = generator.generateSamples(prompt, settings.withSeed(settings.seed() + done), count,
                    i -> piece -> {});
            for (int i = 0; i < count; i++) {
                out.printf("--- sample %d of %d (seed %d) ---%n", done + i + 1, numSamples, settings.seed() + done + i);
                out.println(prompt + batch.get(i).newText());
            }
            out.flush();
        }
    }
}
