package org.scratchgpt.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scratchgpt.hf.HfExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt export hf --checkpoint DIR --out DIR [--force]}: see {@link HfExport}. */
@Command(name = "hf", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a checkpoint as a HuggingFace GPT-2 folder (config.json, model.safetensors, tokenizer.json,"
                + " generation_config.json) that transformers loads with GPT2LMHeadModel.from_pretrained.")
final class ExportHfCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "A checkpoint folder, e.g. models/gpt2/best.")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The folder to write; must not exist.")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        int tensors = HfExport.run(checkpoint, out, force);
        spec.commandLine().getOut().println("exported " + checkpoint + " as a HuggingFace GPT-2 (" + tensors
                + " tensors) into " + out);
        return 0;
    }
}
