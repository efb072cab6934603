package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny training run through the real command line, for tests that need a checkpoint of some kind to work on. */
final class TinyRun {
    /** The corpus, repeated. */
    static final String LINE = "to be or not to be, that is the question: whether 'tis nobler in the mind to suffer\n";

    private TinyRun() {}

    /** A text of other words in the same characters as the corpus, written to {@code dir/new.txt}: to fine-tune on. */
    static Path otherText(Path dir) throws Exception {
        return Files.writeString(dir.resolve("new.txt"),
                "whether to suffer or not, that is the question: 'tis nobler to be in the mind\n".repeat(30));
    }

    /**
     * Trains a 2-layer, 32-wide model of the baby preset on a repeated line into {@code dir/name}, with the given
     * context, steps and evaluation interval and any further {@code FIELD=VALUE} settings; returns its best checkpoint.
     */
    static Path train(Path dir, String name, int contextLength, int maxIters, int evalInterval, String... settings)
            throws Exception {
        return train(dir, name, contextLength, maxIters, evalInterval, List.of(), settings);
    }

    /** The same with further options of {@code train}, e.g. {@code --attention-text}. */
    static Path train(Path dir, String name, int contextLength, int maxIters, int evalInterval, List<String> options,
            String... settings) throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), LINE.repeat(30));
        List<String> args = new ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--out",
                dir.resolve(name).toString(), "--set", "n_layer=2", "--set", "n_embd=32", "--set", "n_head=2",
                "--set", "context_length=" + contextLength, "--set", "batch_size=4", "--set", "max_iters=" + maxIters,
                "--set", "eval_interval=" + evalInterval, "--set", "eval_iters=1", "--quiet"));
        args.addAll(options);
        for (String setting : settings) {
            args.addAll(List.of("--set", setting));
        }
        StringWriter output = new StringWriter();
        picocli.CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(output, true));
        cli.setErr(new PrintWriter(output, true));
        assertEquals(0, cli.execute(args.toArray(String[]::new)), output.toString());
        return dir.resolve(name).resolve("best");
    }
}
