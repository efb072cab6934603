package org.scratchgpt.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.lora.LoraMerge;
import org.scratchgpt.model.GptConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt lora merge --adapter DIR --out DIR}: see {@link LoraMerge}. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add a LoRA checkpoint's adapters into its base model's weights (W + alpha/r * B*A) and write"
                + " an ordinary model as a run folder (latest/ and best/, as import gpt2 writes one), which sample,"
                + " export and finetune load like any other.",
            "An adapted head that was tied to the token embedding gets its own matrix (tied_embeddings false)."})
public final class LoraMergeCommand implements java.util.concurrent.Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--adapter", paramLabel = "DIR", required = true,
            description = "A checkpoint of a LoRA run, e.g. models/tuned/best, or its run folder for its best/.")
    Path adapter;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The new run folder; must not exist.")
    Path out;

    @Option(names = "--base", paramLabel = "DIR",
            description = "The base checkpoint, when it moved since training (its weights must be the same,"
                    + " checked by SHA-256); default: the folder the LoRA checkpoint names.")
    Path base;

    @Override
    public Integer call() throws IOException {
        adapter = CheckpointArgument.toUse(spec, adapter); // a run folder: its best/
        GptConfig config = LoraMerge.run(adapter,
                Optional.ofNullable(base).map(given -> CheckpointArgument.toUse(spec, given)), out);
        Path best = out.resolve(RunFolder.BEST);
        spec.commandLine().getOut().printf("merged %s into %s (tied_embeddings %s)%nsample with: ./scratchgpt sample"
                + " --checkpoint %s%n", adapter, out, config.tiedEmbeddings(), best);
        return 0;
    }
}
