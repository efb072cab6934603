package org.scratchgpt.reference;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HuggingFace's own BPE trainer for tests (see {@link org.scratchgpt.bench.HfNodeTrainer}, which runs
 * it): trains, then reads back the merges and vocabulary HuggingFace saved, with a parser of its own.
 * Without node or the npm package, {@link #locate()} skips the calling test with the fix.
 */
public final class HfNodeTrainer {

    /** The split rules applied before BPE, as {@code hf-train.js} names them. */
    public enum PreTokenizer {
        /** GPT-2's regex, through HF's ByteLevel pre-tokenizer without a prefix space. */
        GPT2,
        /** GPT-4's (cl100k_base) regex as an isolating Split, then ByteLevel without regex. */
        GPT4
    }

    private final org.scratchgpt.bench.HfNodeTrainer runner;

    private HfNodeTrainer(org.scratchgpt.bench.HfNodeTrainer runner) {
        this.runner = runner;
    }

    /** The trainer, or the calling test is skipped if node or the npm package is missing. */
    public static HfNodeTrainer locate() {
        return locate(Duration.ofMinutes(10));
    }

    public static HfNodeTrainer locate(Duration timeout) {
        var runner = new org.scratchgpt.bench.HfNodeTrainer(org.scratchgpt.bench.HfNodeTrainer.DEFAULT_DIR, timeout);
        String why = runner.whyUnavailable();
        assumeTrue(why == null, () -> "HuggingFace's reference trainer cannot run: " + why);
        return new HfNodeTrainer(runner);
    }

    /** Trains on {@code text}, written to {@code workDir/input.txt}; saves {@code workDir/tokenizer.json}. */
    public HfTrainingResult trainOnText(PreTokenizer preTokenizer, String text, Path workDir) throws IOException {
        Path input = Files.writeString(workDir.resolve("input.txt"), text, StandardCharsets.UTF_8);
        return train(preTokenizer, List.of(input), workDir.resolve("tokenizer.json"));
    }

    /** Trains on the given UTF-8 files and saves HuggingFace's tokenizer.json as {@code output}. */
    public HfTrainingResult train(PreTokenizer preTokenizer, List<Path> files, Path output) throws IOException {
        double millis = runner.trainMillis(preTokenizer.name().toLowerCase(), files, output);
        RawTokenizerJson trained = RawTokenizerJson.read(output);
        return new HfTrainingResult(output, trained.merges(), trained.vocab(), millis);
    }
}
