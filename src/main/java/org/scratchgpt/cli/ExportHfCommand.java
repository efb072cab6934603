package org.scratchgpt.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.scratchgpt.hf.HfExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scratchgpt export hf --checkpoint DIR --out DIR [--force]}: see {@link HfExport}. */
@Command(name = "hf", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a checkpoint as a HuggingFace GPT-2 folder (config.json, model.safetensors, tokenizer.json,"
                + " generation_config.json) that transformers loads with GPT2LMHeadModel.from_pretrained.")
final class ExportHfCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ExportPaths paths;

    @Override
    public Integer call() throws IOException {
        paths.checkpoint = CheckpointArgument.toUse(spec, paths.checkpoint); // a run folder: its best/
        HfExport.Summary summary = HfExport.run(paths.checkpoint, paths.out, paths.force);
        summary.standIns().forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().println("exported " + paths.checkpoint + " as a HuggingFace GPT-2 (" + summary.tensors()
                + " tensors) into " + paths.out);
        return 0;
    }
}
