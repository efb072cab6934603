package org.scratchgpt.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.hf.Gpt2Import;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt import gpt2 --from DIR [--out DIR]}: see {@link Gpt2Import}. */
@Command(name = "gpt2", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Import a HuggingFace GPT-2 folder (config.json, model.safetensors, tokenizer.json or vocab.json"
                + " + merges.txt), any size from gpt2 to gpt2-xl, as a ScratchGPT run folder (latest/ and best/).")
final class ImportGpt2Command implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--from", paramLabel = "DIR", required = true,
            description = "The HuggingFace folder, e.g. a download of openai-community/gpt2.")
    Path from;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The new run folder (default: models/<name of the --from folder>); must not exist.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path target = out != null ? out : Path.of("models").resolve(from.toAbsolutePath().normalize().getFileName());
        Gpt2Import.Summary summary = Gpt2Import.run(from, target);
        // A preset is named only when the shape is that preset's; any other GPT-2 is described by its shape.
        String what = summary.isPreset() ? "preset " + summary.label()
                : Gpt2Import.shape(summary.config()) + "; no preset's shape";
        spec.commandLine().getOut().printf(Locale.ROOT, "imported %s: %,d parameters (%s) in %.1f s into %s%n"
                + "sample with: ./scratchgpt sample --checkpoint %s%n"
                + "fine-tune with: ./scratchgpt finetune --from %s --corpus FILE%n", from, summary.parameters(), what,
                summary.seconds(), target, target.resolve(RunFolder.BEST), target.resolve(RunFolder.BEST));
        return 0;
    }
}
