package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.CheckpointApart;
import org.scratchgpt.inspect.CheckpointProbe;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.model.AttentionMaps;
import org.scratchgpt.pictures.AttentionPictures;
import org.scratchgpt.pictures.Picture;
import org.scratchgpt.training.AttentionSnapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt attention}: heatmaps of what each attention head looks at, now or over training. */
@Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw each attention head's weights on a text as heatmaps in a PNG: rows are the tokens that"
                + " read, columns the tokens they read from, dark for 0 and bright for 1.",
            "With --checkpoint, the model's attention on --text; with --run, the snapshots a training run kept"
                + " (train --attention-text), side by side over the steps."})
public final class AttentionCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "A checkpoint folder, e.g. models/baby/best, or a run folder for its"
            + " best/.")
    Path checkpoint;

    @Option(names = "--text", paramLabel = "TEXT", description = "The text the model reads, with --checkpoint.")
    String text;

    @Option(names = "--run", paramLabel = "DIR",
            description = "A run folder trained with --attention-text: draws its snapshots over the steps.")
    Path run;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The PNG to write.")
    Path out;

    @Option(names = "--layer", paramLabel = "L", description = "Draw only layer L (from 0); default: every layer.")
    Integer layer;

    @Option(names = "--width", paramLabel = "PIXELS", description = "The picture's width (default: 260 per column).")
    Integer width;

    @Option(names = "--height", paramLabel = "PIXELS", description = "The picture's height (default: 260 per row).")
    Integer height;

    @Override
    public Integer call() throws IOException {
        if ((checkpoint == null) == (run == null)) {
            throw new UserError("give either --checkpoint DIR with --text TEXT (the model's attention now) or --run DIR"
                    + " (the snapshots a training run kept), not " + (checkpoint == null ? "neither" : "both"));
        }
        if ((width == null) != (height == null)) {
            throw new UserError("give both --width and --height, or neither for the default size");
        }
        OutputPaths.requireWritableFile("the picture", out, "give --out a PNG file path, e.g. attention.png");
        requireApartFromWhatItDraws();
        OptionalInt onlyLayer = layer == null ? OptionalInt.empty() : OptionalInt.of(layer);
        Picture picture = checkpoint != null ? ofCheckpoint(onlyLayer) : ofRun(onlyLayer);
        picture.writePng(out);
        PrintWriter output = spec.commandLine().getOut();
        output.printf("wrote %s (%d x %d): %s%n", out, picture.width(), picture.height(), picture.title());
        output.flush();
        return 0;
    }

    /**
     * The picture never replaces, nor goes into, the checkpoint it draws or a file or folder of its run (their
     * checkpoints, metrics, snapshots); a new file beside them in the run folder is fine.
     */
    private void requireApartFromWhatItDraws() throws IOException {
        Optional<Path> runFolder = run != null ? Optional.of(run) : CheckpointApart.runFolderOf(checkpoint);
        String fix = "give --out a new file name, or a path outside, e.g. "
                + runFolder.orElse(checkpoint).toAbsolutePath().normalize() + "-attention.png";
        if (checkpoint != null) {
            OutputPaths.requireApart("--out " + out, out, "--checkpoint " + checkpoint, checkpoint, fix);
        }
        if (runFolder.isPresent() && Files.isDirectory(runFolder.get())) {
            try (Stream<Path> entries = Files.list(runFolder.get())) {
                for (Path entry : entries.toList()) {
                    OutputPaths.requireApart("--out " + out, out, (Files.isDirectory(entry) ? "the folder " : "the file ")
                            + entry + " of the run", entry, fix);
                }
            }
        }
    }

    private Picture ofCheckpoint(OptionalInt onlyLayer) throws IOException {
        if (text == null || text.isEmpty()) {
            throw new UserError("--checkpoint needs --text TEXT: the text whose attention to draw, e.g. --text \"ROMEO:\"");
        }
        checkpoint = CheckpointArgument.toUse(spec, checkpoint); // a run folder: its best/
        try (CheckpointProbe probe = CheckpointProbe.open(checkpoint)) {
            AttentionMaps maps = probe.attention(text);
            String title = "attention on \"" + text + "\" (" + checkpoint + ")";
            return width == null ? AttentionPictures.heads(title, maps, onlyLayer)
                    : AttentionPictures.heads(title, maps, onlyLayer, width, height);
        }
    }

    private Picture ofRun(OptionalInt onlyLayer) throws IOException {
        if (text != null) {
            throw new UserError("--text goes with --checkpoint; with --run the text is the one the run watched"
                    + " (train --attention-text): leave --text out");
        }
        SortedMap<Long, AttentionMaps> byStep = AttentionSnapshots.read(run);
        String title = "attention on \"" + String.join("", byStep.get(byStep.firstKey()).tokens()) + "\" over"
                + " training, steps " + byStep.firstKey() + " to " + byStep.lastKey() + " (" + run + ")";
        return width == null ? AttentionPictures.overSteps(title, byStep, onlyLayer)
                : AttentionPictures.overSteps(title, byStep, onlyLayer, width, height);
    }
}
