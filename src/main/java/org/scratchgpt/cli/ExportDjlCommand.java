package org.scratchgpt.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.scratchgpt.djl.DjlExport;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt export djl --checkpoint DIR --out DIR [--force] [--precision bf16]}: see {@link DjlExport}. */
@Command(name = "djl", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a checkpoint as a DJL model folder (model.pt: TorchScript with the weights inside,"
                + " tokenizer.json, serving.properties, README.md) that any DJL application loads with Criteria.")
final class ExportDjlCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ExportPaths paths;

    @Option(names = "--precision", paramLabel = "fp32|bf16|fp16", defaultValue = "fp32",
            description = "The format the module computes its matrix products and attention in; weights and logits"
                    + " stay float32 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Override
    public Integer call() throws IOException {
        paths.checkpoint = CheckpointArgument.toUse(spec, paths.checkpoint); // a run folder: its best/
        long start = System.nanoTime();
        GptConfig config = DjlExport.run(paths.checkpoint, paths.out, paths.force, Precision.parse(precision));
        spec.commandLine().getOut().printf("exported %s as a DJL model folder (%d layers, TorchScript) into %s in %.1f s%n",
                paths.checkpoint, config.layers(), paths.out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
