package org.scratchgpt.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scratchgpt.UserError;
import org.scratchgpt.bench.Ablation;
import org.scratchgpt.bench.DedupBench;
import org.scratchgpt.bench.FinetuneBench;
import org.scratchgpt.bench.GenerateBench;
import org.scratchgpt.bench.HfNodeTrainer;
import org.scratchgpt.bench.Machine;
import org.scratchgpt.bench.OpProfile;
import org.scratchgpt.bench.QuantizeBench;
import org.scratchgpt.bench.StepProfile;
import org.scratchgpt.bench.TakingTurns;
import org.scratchgpt.bench.TokenizerBench;
import org.scratchgpt.bench.TorchEager;
import org.scratchgpt.bench.TorchGenerate;
import org.scratchgpt.bench.TrainBench;
import org.scratchgpt.config.ByteSize;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.io.TemporaryFolder;
import org.scratchgpt.lora.LoraCheckpoint;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.MatmulPeak;
import org.scratchgpt.plan.PrecisionSpeed;
import org.scratchgpt.plan.SpeedRatio;
import org.scratchgpt.plan.Timing;
import org.scratchgpt.quantize.WeightFormat;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokens.RunData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt bench}: measured speed, side by side with the reference implementation, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmarks, each against its reference in the same run.")
public final class BenchCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "dedup", mixinStandardHelpOptions = true,
            description = {"Time exact and MinHash deduplication (MB/s, heap per kept document) on a generated corpus.",
                "With --documents N, also stream N short documents through both stages to see what a capped heap"
                    + " holds (e.g. SCRATCHGPT_JAVA_OPTS=-Xmx512m)."})
    void dedup(
            @Option(names = "--megabytes", paramLabel = "MB", defaultValue = "20",
                    description = "Size of the generated corpus to time (default: ${DEFAULT-VALUE}).") double megabytes,
            @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Timed passes, 1 or more; the"
                    + " median is reported (default: ${DEFAULT-VALUE}).") int runs,
            @Option(names = "--documents", paramLabel = "N", defaultValue = "0",
                    description = "Documents to stream for the memory check, 0 for none (default: ${DEFAULT-VALUE}).")
            int documents) {
        OptionChecks.requireAtLeast("--runs", runs, 1, "how many timed passes to take the median of, e.g. 3");
        OptionChecks.requireAtLeast("--documents", documents, 0, "how many documents to stream, e.g. 1000000, or 0");
        if (!(megabytes > 0)) {
            throw new UserError("--megabytes must be more than 0, got " + megabytes + "; e.g. 20");
        }
        // The corpus is generated in the heap: one that cannot fit would run until the heap ran out.
        long heap = Runtime.getRuntime().maxMemory();
        if (megabytes * 1e6 > heap) {
            throw new UserError("--megabytes " + megabytes + " is a corpus larger than the Java heap ("
                    + ByteSize.format(heap) + "), which holds it whole: use --megabytes 20, or give the heap more"
                    + " with SCRATCHGPT_JAVA_OPTS=-Xmx16g");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Machine: " + Machine.describe());
        DedupBench.speed(out, megabytes, runs);
        if (documents > 0) {
            DedupBench.scale(out, documents);
        }
        out.flush();
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = {"Time each step of the data stage (read, every prepare stage, split + write, tokenize) in MB/s"
                    + " on a generated corpus.",
                "With --write-corpus FILE, only write the generated corpus (e.g. 1 GB for the capped-heap check of"
                    + " data prepare)."})
    void data(
            @Option(names = "--megabytes", paramLabel = "MB", defaultValue = "50",
                    description = "Size of the generated corpus (default: ${DEFAULT-VALUE}).") double megabytes,
            @Option(names = "--tokenizer", paramLabel = "FILE",
                    description = "The tokenizer.json to tokenize with (default: GPT-2's from $SCRATCHGPT_SHARED or"
                            + " ../shared/tokenizers/gpt2/tokenizer.json).") Path tokenizerFile,
            @Option(names = "--threads", paramLabel = "N", description = "Threads for tokenizing (default: the CPU"
                    + " count).") Integer threads,
            @Option(names = "--write-corpus", paramLabel = "FILE",
                    description = "Only write the generated corpus to FILE (JSON lines) and stop.") Path writeCorpus)
            throws IOException {
        if (!(megabytes > 0)) {
            throw new UserError("--megabytes must be more than 0, got " + megabytes + "; e.g. 50");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (writeCorpus != null) {
            long documents = org.scratchgpt.bench.GeneratedCorpus.write(writeCorpus, (long) (megabytes * 1e6), 1);
            out.printf(Locale.ROOT, "wrote %,d documents (%,d bytes) to %s%n", documents, Files.size(writeCorpus),
                    writeCorpus);
            out.flush();
            return;
        }
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        OptionChecks.requireAtLeast("--threads", threadCount, 1, "how many threads to tokenize with, e.g. 2");
        Path tokenizerJson = tokenizerFile != null ? tokenizerFile : defaultGpt2();
        if (tokenizerJson == null) {
            throw new UserError("bench data needs a tokenizer with <|endoftext|>: pass --tokenizer FILE (e.g. one from"
                    + " `scratchgpt tokenizer train`), or set SCRATCHGPT_SHARED to the folder holding"
                    + " tokenizers/gpt2/tokenizer.json");
        }
        out.println("Machine: " + Machine.describe());
        try (TemporaryFolder workFolder = TemporaryFolder.create("scratchgpt-bench-data")) {
            org.scratchgpt.bench.DataBench.run(megabytes, workFolder.path(), tokenizerJson, threadCount,
                    BenchCommand::prepareThroughTheCli, out);
        }
    }

    /** {@code data prepare} with its defaults, as a user runs it; a failure is the bench's failure. */
    private static void prepareThroughTheCli(Path input, Path out) {
        StringWriter errors = new StringWriter();
        picocli.CommandLine cli = ScratchGpt.commandLine();
        cli.setErr(new PrintWriter(errors, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int exitCode = cli.execute("data", "prepare", "--input", input.toString(), "--out", out.toString());
        if (exitCode != 0) {
            throw new UserError("bench data: data prepare failed: " + errors.toString().strip());
        }
    }

    @Command(name = "tokenizer", mixinStandardHelpOptions = true,
            description = {"Time our BPE against HuggingFace tokenizers (Rust), side by side in one run.",
                "Encoding goes through DJL's binding of HuggingFace tokenizers in this JVM, training through their Node"
                    + " binding (when `npm ci --prefix src/test/node` was run)."})
    void tokenizer(
            @Option(names = "--text", paramLabel = "FILE", defaultValue = "datasets/tinyshakespeare/input.txt",
                    description = "The text to encode and train on (default: ${DEFAULT-VALUE}).") Path textFile,
            @Option(names = "--gpt2", paramLabel = "FILE",
                    description = "GPT-2's tokenizer.json, to benchmark too (default: $SCRATCHGPT_SHARED or ../shared"
                            + "/tokenizers/gpt2/tokenizer.json when present).") Path gpt2,
            @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Timed runs per"
                    + " measurement, 1 or more; the median is reported (default: ${DEFAULT-VALUE}).") int runs,
            @Option(names = "--hf-node", paramLabel = "DIR", defaultValue = "src/test/node",
                    description = "Folder of hf-train.js and its node_modules (default: ${DEFAULT-VALUE}).") Path nodeDir)
            throws IOException {
        OptionChecks.requireAtLeast("--runs", runs, 1, "how many timed runs to take the median of, e.g. 5");
        PrintWriter out = spec.commandLine().getOut();
        String text = CorpusText.readUtf8(textFile);
        try (TemporaryFolder workFolder = TemporaryFolder.create("scratchgpt-bench")) {
            Path work = workFolder.path();
            TokenizerBench bench = new TokenizerBench(text, work, runs, out);
            out.println("Machine: " + Machine.describe());
            out.println("Text: " + textFile + " (" + text.length() + " chars); median of " + runs + " runs after warm-up\n");

            bench.encodingHeader();
            bench.encoding("trained here, 4k, GPT-2 split", bench.trainAndSave(4096, SplitPattern.GPT2));
            bench.encoding("trained here, 4k, GPT-4 split", bench.trainAndSave(4096, SplitPattern.GPT4));
            Path gpt2File = gpt2 != null ? gpt2 : defaultGpt2();
            if (gpt2File != null) {
                bench.encoding("GPT-2 (50,257 tokens)", gpt2File);
            }

            HfNodeTrainer hf = new HfNodeTrainer(nodeDir, Duration.ofMinutes(10));
            String why = hf.whyUnavailable();
            out.println();
            bench.trainingHeader();
            bench.training("1k merges", 256 + 1000, null);
            bench.training("4k merges", 256 + 4000, null);
            bench.training("full merge list", BpeTrainer.FULL_VOCABULARY, why != null ? null : () -> hfSeconds(hf, textFile, work, runs));
            if (why != null) {
                out.println("(HuggingFace's trainer not run: " + why + ")");
            }
            out.flush();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Time training steps of a preset's model on random tokens.",
                "Reports ms per step, tokens/s, model FLOPs utilisation against a matrix-multiply peak measured in the"
                    + " same run, and peak memory; with --vs-torch, the same model and step in PyTorch eager"
                    + " (python3 + torch) in the same precision, the two taking turns in rounds; with --profile, where"
                    + " one step's time goes, op by op."})
    void train(
            @Option(names = "--preset", paramLabel = "NAME", defaultValue = "baby",
                    description = "baby | shakespeare-char | gpt2-124m"
                    + " (default: ${DEFAULT-VALUE}).") String preset,
            @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "Override model or training fields,"
                    + " e.g. --set batch_size=8.") Map<String, String> overrides,
            @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
                    description = "Timed steps, 1 or more (with --vs-torch: per side and round) (default:"
                            + " ${DEFAULT-VALUE}).") int steps,
            @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
                    description = "Untimed steps first, 0 or more (default: ${DEFAULT-VALUE}).") int warmup,
            @Option(names = "--vs-torch", description = "Also time src/test/python/torch_eager_gpt.py with python3"
                    + " and torch, in the same precision (bf16: torch.autocast; fp16 is not compared), taking turns"
                    + " with ScratchGPT for " + TORCH_ROUNDS + " rounds (on the CPU, so with --device cpu).")
            boolean versusTorch,
            @Option(names = "--profile", description = "After the timed steps, profile one more step (libtorch's"
                    + " profiler) and print its ops by self time; with --vs-torch, PyTorch's own profile too.")
            boolean profile,
            @Option(names = "--checkpoint-activations", description = "Time steps with activation checkpointing (run"
                    + " once with and once without to compare; the step's extra peak is its activation memory).")
            boolean checkpointActivations,
            @Option(names = "--ablation", description = "Time the model once per technique, adding one per row: fused"
                    + " attention, bf16, activation checkpointing, accumulation (ignores --precision, --attention and"
                    + " --checkpoint-activations).") boolean ablation,
            @Mixin DeviceOption deviceOption,
            @Mixin ComputeOptions computeOptions) throws IOException {
        OptionChecks.requireAtLeast("--steps", steps, 1, "how many steps to time, e.g. 20");
        OptionChecks.requireAtLeast("--warmup", warmup, 0, "how many untimed steps to run first, e.g. 3, or 0 for none");
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> fields = overrides == null ? Map.of() : overrides;
        var model = FieldOverrides.model(preset, fields);
        var training = FieldOverrides.training(preset, fields);
        Compute compute = computeOptions.compute();
        if (ablation && (versusTorch || profile)) {
            throw new UserError("--ablation times its own rows: run --vs-torch or --profile without it");
        }
        Device device = deviceOption.resolve();
        if (versusTorch) {
            requireCpuForTorch(device);
            TorchEager.requireComparable(compute.precision());
        }
        out.println("Machine: " + Machine.describe() + "; device " + DeviceChoice.name(device));
        List<MatmulPeak.Shape> shapes = MatmulPeak.shapes(device, model,
                training.batchSize() * model.contextLength());
        if (ablation) {
            double peak = MatmulPeak.flops(device, shapes, PEAK_RUNS, Precision.FP32);
            printPeak(out, Precision.FP32, peak, shapes);
            ablation(out, model, training, device, warmup, steps, peak);
            return;
        }
        // MFU is against the peak of the precision the model computes in.
        Precision precision = compute.precision();
        double peakBefore = MatmulPeak.flops(device, shapes, PEAK_RUNS, precision);
        try (TemporaryFolder work = TemporaryFolder.create("scratchgpt-bench");
                TrainBench.Session session = new TrainBench.Session(model, training, compute, checkpointActivations,
                        device, warmup, work.path())) {
            if (versusTorch) {
                try (TorchEager torch = TorchEager.start(model, training, precision, warmup)) {
                    double torchPeakBefore = torch.peakFlops(shapes);
                    TakingTurns turns = TakingTurns.take(TORCH_ROUNDS, () -> session.medianStepSeconds(steps),
                            () -> torch.medianStepSeconds(steps));
                    // Measured again after the steps, the best of both: a peak taken while something else ran is no
                    // peak.
                    double peak = ourPeak(peakBefore, device, shapes, precision);
                    double torchPeak = Math.max(torchPeakBefore, torch.peakFlops(shapes));
                    printTrainTable(out, preset, model, training, checkpointActivations, steps, precision, peak, shapes,
                            session, turns, torch, torchPeak);
                    if (profile) {
                        printProfiles(out, session, work.path(), torch);
                    }
                }
            } else {
                double seconds = session.medianStepSeconds(steps);
                double peak = ourPeak(peakBefore, device, shapes, precision);
                printTrainTable(out, preset, model, training, checkpointActivations, steps, precision, peak, shapes,
                        session, new TakingTurns(new double[] {seconds}, new double[0]), null, 0);
                if (profile) {
                    printProfiles(out, session, work.path(), null);
                }
            }
        }
        out.flush();
    }

    /** How many rounds ScratchGPT and PyTorch take turns in {@code bench train --vs-torch}. */
    static final int TORCH_ROUNDS = 3;

    /** Ops listed per profile. */
    private static final int PROFILE_OPS = 15;

    /** The best of the peak measured before the steps and one measured now. */
    private static double ourPeak(double before, Device device, List<MatmulPeak.Shape> shapes, Precision precision) {
        return Math.max(before, MatmulPeak.flops(device, shapes, PEAK_RUNS, precision));
    }

    private static void printTrainTable(PrintWriter out, String preset, GptConfig model, TrainingSettings training,
            boolean checkpointActivations, int steps, Precision precision, double peak,
            List<MatmulPeak.Shape> shapes, TrainBench.Session session, TakingTurns turns, TorchEager torch, double torchPeak) {
        printPeak(out, precision, peak, shapes);
        if (torch != null) {
            out.printf(Locale.ROOT, "%s matmul peak (PyTorch, the same shapes and precision): %.1f GFLOP/s; its MFU"
                    + " below is against it%n", precision.cliName(), torchPeak / 1e9);
        }
        out.printf(Locale.ROOT, "%s: %d layers, %d wide, context %d, batch %d x %d accumulation, %s%s%n", preset,
                model.layers(), model.embeddingWidth(), model.contextLength(), training.batchSize(),
                training.accumulationSteps(), precision.cliName(),
                checkpointActivations ? ", activation checkpointing" : "");
        if (torch != null) {
            out.printf(Locale.ROOT, "%d steps per side and round, %d rounds taking turns; ms/step: the median of the"
                    + " rounds' medians (min-max)%n", steps, turns.rounds());
        }
        out.println("| implementation | ms/step | tokens/s | MFU | peak RSS | step's extra peak |");
        out.println("|---|---:|---:|---:|---:|---:|");
        TrainBench.Result ours = session.result(turns.oursMedian(), peak);
        out.printf(Locale.ROOT, "| ScratchGPT (DJL, libtorch 2.7.1) | %s | %,.0f | %s | %.0f MB | %.0f MB |%n",
                torch == null ? String.format(Locale.ROOT, "%.1f", ours.millisPerStep())
                        : TakingTurns.medianAndSpread(turns.ours(), 1000),
                ours.tokensPerSecond(), mfu(ours.achievedFlops(), peak), ours.peakResidentMegabytes(),
                ours.stepExtraPeakMegabytes());
        if (torch != null) {
            TrainBench.Result theirs = session.result(turns.theirsMedian(), torchPeak);
            out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | - | - |%n", torch.describe(),
                    TakingTurns.medianAndSpread(turns.theirs(), 1000), theirs.tokensPerSecond(),
                    mfu(theirs.achievedFlops(), torchPeak));
            out.println(turns.ratioLine("tokens/s"));
            out.println(torch.blas().describe());
            out.println("PyTorch's attention: " + torch.attention() + "; ScratchGPT's: as --attention says.");
        }
        explainExtraPeak(out);
    }

    /**
     * MFU as a percentage; a step that beat the measured peak gets no figure, since its peak was none (the machine
     * was busier while it was measured, before and after the steps, than during them).
     */
    static String mfu(double achievedFlops, double peakFlops) {
        double mfu = achievedFlops / peakFlops;
        return mfu <= 1 ? String.format(Locale.ROOT, "%.1f%%", 100 * mfu)
                : "- (beat the measured peak: busy machine, run again)";
    }

    private static void printProfiles(PrintWriter out, TrainBench.Session session, Path work, TorchEager torch)
            throws IOException {
        OpProfile ours = StepProfile.record(session::step, work, PROFILE_OPS);
        out.printf(Locale.ROOT, "%nScratchGPT: one step under libtorch's profiler, %.0f ms of ops' self time; the %d ops"
                + " (by name and input shapes) of most self time%n", ours.totalMillis(), PROFILE_OPS);
        ours.print(out);
        if (torch != null) {
            OpProfile theirs = torch.profile(PROFILE_OPS);
            out.printf(Locale.ROOT, "%nPyTorch: one step under torch.autograd.profiler, %.0f ms of ops' self time; the"
                    + " %d ops of most self time%n", theirs.totalMillis(), PROFILE_OPS);
            theirs.print(out);
        }
        out.println("(A profiled step runs slower than a timed one: the profiler records every op call.)");
    }


    @Command(name = "finetune", mixinStandardHelpOptions = true,
            description = {"What fine-tuning a preset's model costs: trainable parameters, AdamW's memory for them and"
                + " the time of a training step (random tokens and weights: the cost does not depend on them).",
                "One row per way of fine-tuning; full fine-tuning trains every parameter."})
    void finetune(
            @Option(names = "--preset", paramLabel = "NAME", defaultValue = "shakespeare-char",
                    description = "baby | shakespeare-char | gpt2 | ... (default: ${DEFAULT-VALUE}).") String preset,
            @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "Override model or training fields,"
                    + " e.g. --set batch_size=4.") Map<String, String> overrides,
            @Option(names = "--steps", paramLabel = "N", defaultValue = "5",
                    description = "Timed steps, 1 or more (default: ${DEFAULT-VALUE}).") int steps,
            @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
                    description = "Untimed steps first, 0 or more (default: ${DEFAULT-VALUE}).") int warmup,
            @Mixin DeviceOption deviceOption,
            @Mixin ComputeOptions computeOptions) throws IOException {
        OptionChecks.requireAtLeast("--steps", steps, 1, "how many steps to time, e.g. 5");
        OptionChecks.requireAtLeast("--warmup", warmup, 0, "how many untimed steps to run first, e.g. 1, or 0 for none");
        Map<String, String> fields = overrides == null ? Map.of() : overrides;
        GptConfig model = FieldOverrides.model(preset, fields);
        TrainingSettings training = FieldOverrides.training(preset, fields);
        PrintWriter out = spec.commandLine().getOut();
        Device device = deviceOption.resolve();
        Compute compute = computeOptions.compute();
        out.println("Machine: " + Machine.describe() + "; device " + DeviceChoice.name(device) + "; "
                + compute.precision().cliName());
        out.printf(Locale.ROOT, "%s: %d layers, %d wide, context %d, vocabulary %d, batch %d x %d accumulation;"
                + " median of %d steps after %d%n", preset, model.layers(), model.embeddingWidth(), model.contextLength(),
                model.vocabSize(), training.batchSize(), training.accumulationSteps(), steps, warmup);
        out.println("| method | parameters | trainable | trainable share | AdamW moments | ms/step | tokens/s |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        out.flush();
        try (TemporaryFolder work = TemporaryFolder.create("scratchgpt-bench")) {
            for (FinetuneBench.Method method : finetuneMethods()) {
                FinetuneBench.Result r = FinetuneBench.measure(method, model, training, compute, device, warmup, steps,
                        work.path());
                out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f%% | %.1f MB | %.0f | %,.0f |%n", r.method(),
                        r.parameters(), r.trainableParameters(), 100 * r.trainableFraction(), r.optimizerBytes() / 1e6,
                        r.millisPerStep(), r.tokensPerSecond());
                out.flush();
            }
        }
        out.println("(AdamW moments: the bytes of its m and v, read from the optimizer after the steps.)");
        out.flush();
    }

    /** The rows of {@code bench finetune}: full fine-tuning, then LoRA on attention (qkv, proj) at ranks 4, 8, 16. */
    private static List<FinetuneBench.Method> finetuneMethods() {
        return List.of(FinetuneBench.Method.full(), FinetuneBench.Method.lora(LoraSettings.ofRank(4)),
                FinetuneBench.Method.lora(LoraSettings.ofRank(8)), FinetuneBench.Method.lora(LoraSettings.ofRank(16)));
    }

    @Command(name = "quantize", mixinStandardHelpOptions = true,
            description = {"What each weight format costs in quality and buys in speed, on a trained checkpoint.",
                "For fp32, bf16 weights converted once, and int8 (with fp32 and with bf16 compute): the loss on the"
                    + " held-out validation split (the same windows for each) and cached greedy generation speed."})
    void quantize(
            @Option(names = "--checkpoint", paramLabel = "DIR", required = true,
                    description = "A checkpoint folder (not LoRA adapters), or a run folder for its best/.") Path given,
            @Option(names = "--corpus", paramLabel = "FILE", description = "The text it was trained on: its last 10%"
                    + " is the validation split, as in train (default: " + DefaultPaths.CORPUS + ").") Path corpus,
            @Option(names = "--dataset", paramLabel = "DIR", description = "Or a prepared dataset made with the"
                    + " checkpoint's tokenizer: its val shards.") Path dataset,
            @Option(names = "--batches", paramLabel = "N", defaultValue = "20",
                    description = "Validation batches for the loss (default: ${DEFAULT-VALUE}).") int batches,
            @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
                    description = "Windows per batch (default: ${DEFAULT-VALUE}).") int batchSize,
            @Option(names = "--new-tokens", paramLabel = "N", defaultValue = "64",
                    description = "Tokens per timed generation (default: ${DEFAULT-VALUE}).") int newTokens,
            @Mixin DeviceOption deviceOption) throws IOException {
        OptionChecks.requireAtLeast("--batches", batches, 1, "how many validation batches, e.g. 20");
        OptionChecks.requireAtLeast("--batch-size", batchSize, 1, "windows per batch, e.g. 8");
        OptionChecks.requireAtLeast("--new-tokens", newTokens, 1, "tokens per timed generation, e.g. 64");
        if (corpus != null && dataset != null) {
            throw new UserError("--corpus and --dataset both name the held-out text: give one of them");
        }
        Path dir = CheckpointArgument.toUse(spec, given);
        Checkpoint.Contents contents = Checkpoint.read(dir);
        if (LoraCheckpoint.isLora(dir)) {
            throw new UserError(dir + " holds LoRA adapters: merge them into an ordinary checkpoint first"
                    + " (scratchgpt lora merge), then measure that");
        }
        GptConfig config = contents.model();
        Device device = deviceOption.resolve();
        PrintWriter out = spec.commandLine().getOut();
        try (TemporaryFolder work = TemporaryFolder.create("scratchgpt-bench")) {
            Path text = dataset == null && corpus == null ? Path.of(DefaultPaths.CORPUS) : corpus;
            RunData data = RunData.prepare(text, dataset, dir.resolve(Checkpoint.TOKENIZER), work.path(),
                    config.contextLength());
            QuantizeBench.Workload workload = new QuantizeBench.Workload(data.val(), batches, batchSize, newTokens);
            out.println("Machine: " + Machine.describe() + "; device " + DeviceChoice.name(device) + "; " + dir
                    + "; validation loss over " + batches + " x " + batchSize + " windows of " + config.contextLength()
                    + " tokens; cached greedy generation of " + newTokens + " tokens, median of 3");
            out.println("| weights | compute | val loss | vs fp32 | tokens/s | vs fp32 | weight bytes per token |");
            out.println("|---|---|---:|---:|---:|---:|---:|");
            out.flush();
            QuantizeBench.Result first = null;
            for (QuantizeBench.Row row : QuantizeBench.ROWS) {
                QuantizeBench.Result r = QuantizeBench.measure(dir, config, row.compute(), row.weights(), workload,
                        device);
                first = first == null ? r : first;
                out.printf(Locale.ROOT, "| %s | %s | %.5f | %+.3f%% | %.1f | %.2fx | %,.1f MB |%n",
                        row.weights().label(row.compute().precision()), row.compute().precision().cliName(),
                        r.valLoss(), 100 * (r.valLoss() / first.valLoss() - 1), r.tokensPerSecond(),
                        r.tokensPerSecond() / first.tokensPerSecond(), r.bytesPerToken() / 1e6);
                out.flush();
            }
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Time text generation with and without the KV cache, side by side in one run.",
                "Random weights (no download), greedy, batch 1. Also measures the memory bandwidth and reports how"
                    + " close a cached step comes to its limit: every weight read once per token."})
    void generate(
            @Option(names = "--models", paramLabel = "NAMES", split = ",", defaultValue = "baby,gpt2-124m",
                    description = "Presets whose shapes to time (default: ${DEFAULT-VALUE}).") List<String> models,
            @Option(names = "--lengths", paramLabel = "N", split = ",", defaultValue = "128,512,1024",
                    description = "New tokens per generation (default: ${DEFAULT-VALUE}).") List<Integer> lengths,
            @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "16",
                    description = "Prompt length in tokens, 1 or more (default: ${DEFAULT-VALUE}).") int promptTokens,
            @Option(names = "--uncached-up-to", paramLabel = "N", defaultValue = "1024", description = "Time the"
                    + " uncached path only up to this many new tokens: it is slow (default: ${DEFAULT-VALUE}).")
            int uncachedUpTo,
            @Option(names = "--vs-torch", description = "Then time src/test/python/torch_generate_gpt.py with python3"
                    + " and torch (the same shape, KV cache, greedy, batch 1; bf16: its weights converted once; fp16"
                    + " is not compared), taking turns with ScratchGPT's cached path for " + TORCH_ROUNDS + " rounds"
                    + " (on the CPU, so with --device cpu).") boolean versusTorch,
            @Mixin DeviceOption deviceOption,
            @Mixin ComputeOptions computeOptions,
            @Mixin QuantizeOption quantizeOption) throws IOException {
        OptionChecks.requireAtLeast("--prompt-tokens", promptTokens, 1, "a prompt of at least one token, e.g. 16");
        OptionChecks.requireAtLeast("--uncached-up-to", uncachedUpTo, 0, "the longest uncached run, or 0 for none");
        for (int length : lengths) {
            OptionChecks.requireAtLeast("--lengths", length, 1, "new tokens per generation, e.g. 128,512");
        }
        Map<String, GptConfig> configs = new LinkedHashMap<>();
        for (String preset : models) {
            configs.put(preset, FieldOverrides.model(preset, Map.of())); // an unknown name fails before any work
        }
        PrintWriter out = spec.commandLine().getOut();
        Device device = deviceOption.resolve();
        Compute compute = computeOptions.compute();
        WeightFormat weights = quantizeOption.format(compute);
        if (versusTorch) {
            requireCpuForTorch(device);
            TorchGenerate.requireComparable(compute.precision());
        }
        out.println("Machine: " + Machine.describe() + "; device " + DeviceChoice.name(device) + "; "
                + compute.precision().cliName() + ", " + (compute.fusedAttention() ? "fused" : "explicit") + " attention"
                + "; " + weights.label(compute.precision()) + " weights");
        double bandwidth = GenerateBench.readBandwidth(device, 512, 5);
        out.printf(Locale.ROOT, "memory bandwidth (sum of a 512 MB float32 array, libtorch): %.1f GB/s%n", bandwidth / 1e9);
        out.println("| model | prompt + new tokens | uncached tokens/s | cached tokens/s | cached / uncached"
                + " | single rounds | cached step | bandwidth limit | step / limit |");
        out.println("|---|---:|---:|---:|---:|---|---:|---:|---:|");
        out.flush();
        for (var entry : configs.entrySet()) {
            String preset = entry.getKey();
            GptConfig config = entry.getValue();
            try (GenerateBench bench = new GenerateBench(config, compute, weights, device,
                    Math.min(promptTokens, config.contextLength()))) {
                double limit = bench.weightBytes() / bandwidth;                // seconds per token, at best
                bench.warmUp(Math.min(32, config.contextLength() / 2));
                for (int length : lengths) {
                    GenerateBench.Comparison both = length <= uncachedUpTo ? bench.compare(length, GENERATE_ROUNDS)
                            : null;
                    GenerateBench.Result cached = both != null ? both.cached() : bench.measure(length, true);
                    out.printf(Locale.ROOT, "| %s | %d + %d | %s | %,.1f | %s | %.1f ms | %.1f ms | %.2fx |%n", preset,
                            Math.min(promptTokens, config.contextLength()), length,
                            both == null ? "not run" : String.format(Locale.ROOT, "%,.1f",
                                    both.uncached().tokensPerSecond()),
                            cached.tokensPerSecond(), both == null ? "- | -" : speedUp(both.speedUp()),
                            1000 * cached.medianStepSeconds(), 1000 * limit, cached.medianStepSeconds() / limit);
                    out.flush();
                }
            }
        }
        out.println("(tokens/s: the fastest of the rounds in which the two paths took turns; cached / uncached: that"
                + " ratio, with the ratios of single rounds; where they disagree widely the machine was busy.)");
        out.println("(cached step: the median step after the prefill; past the context each step re-prefills the"
                + " window. Bandwidth limit: the bytes of weights a step reads, in their format, over the measured bandwidth.)");
        out.flush();
        if (versusTorch) {
            for (var entry : configs.entrySet()) {
                int prompt = Math.min(promptTokens, entry.getValue().contextLength());
                try (GenerateBench bench = new GenerateBench(entry.getValue(), compute, weights, device, prompt)) {
                    versusTorchGeneration(out, entry.getKey(), entry.getValue(), prompt, lengths, compute.precision(),
                            bench, weights == WeightFormat.INT8 ? "int8" : null);
                }
            }
        }
    }

    /** {@code --vs-torch} runs PyTorch on the CPU: a comparison with ScratchGPT on a GPU would mean nothing. */
    private static void requireCpuForTorch(Device device) {
        if (device.isGpu()) {
            throw new UserError("--vs-torch times PyTorch on the CPU, so the comparison holds only with --device cpu");
        }
    }

    /**
     * ScratchGPT's cached generation (on {@code bench}, built as the main table's is) and PyTorch's on the same shape
     * and prompt length, taking turns; {@code quantize} (null or "int8") picks PyTorch's nearest equivalent of a
     * quantized ScratchGPT model, dynamic int8 quantization.
     */
    static void versusTorchGeneration(PrintWriter out, String preset, GptConfig config, int prompt,
            List<Integer> lengths, Precision precision, GenerateBench bench, String quantize) throws IOException {
        try (TorchGenerate torch = TorchGenerate.start(config, prompt, precision, quantize)) {
            out.printf(Locale.ROOT, "%n%s against %s: %d rounds taking turns, tokens/s the median (min-max)%n", preset,
                    torch.describe(), TORCH_ROUNDS);
            out.println(torch.blas().describe());
            out.println("PyTorch's attention: " + torch.attention());
            out.println("| model | prompt + new tokens | ScratchGPT tokens/s | PyTorch tokens/s | ScratchGPT / PyTorch"
                    + " | single rounds |");
            out.println("|---|---:|---:|---:|---:|---|");
            bench.warmUp(Math.min(32, config.contextLength() / 2));
            for (int length : lengths) {
                TakingTurns turns = TakingTurns.take(TORCH_ROUNDS,
                        () -> length / bench.measure(length, true).tokensPerSecond(), () -> torch.seconds(length));
                out.printf(Locale.ROOT, "| %s | %d + %d | %s | %s | %.2fx | %s |%n", preset, prompt, length,
                        TakingTurns.rates(turns.ours(), length), TakingTurns.rates(turns.theirs(), length),
                        turns.speedUp(), turns.singleRounds().spreadAndVerdict());
                out.flush();
            }
        }
    }

    /** Rounds of cached and uncached generation: at least 3, at most 5, none begun after a minute. */
    private static final SpeedRatio.Rounds GENERATE_ROUNDS = new SpeedRatio.Rounds(3, 5, 60);

    /** The cached path's speed-up and its spread in two table cells: "4.1x | 3.9x to 4.3x over 3 rounds". */
    static String speedUp(SpeedRatio ratio) {
        return ratio.figure() + " | " + ratio.spreadAndVerdict();
    }

    /** Best of this many warmed products per shape, before and after the steps. */
    private static final int PEAK_RUNS = 3;

    private static void printPeak(PrintWriter out, Precision precision, double peak, List<MatmulPeak.Shape> shapes) {
        out.printf(Locale.ROOT, "%s matmul peak (DJL/libtorch, as the model's layers compute): %.1f GFLOP/s, the best"
                + " of %d warmed products of each of %d shapes (squares and the model's own)%s%n", precision.cliName(),
                peak / 1e9, PEAK_RUNS, shapes.size(), precision == Precision.FP32 ? "" : "; MFU below is against it");
    }

    private static void ablation(PrintWriter out, GptConfig model, TrainingSettings training, Device device, int warmup,
            int steps, double peak) throws IOException {
        out.printf(Locale.ROOT, "%d layers, %d wide, context %d, %d sequences per step; %d timed steps after %d%n",
                model.layers(), model.embeddingWidth(), model.contextLength(),
                training.batchSize() * training.accumulationSteps(), steps, warmup);
        PrecisionSpeed bf16 = PrecisionSpeed.on(device, Precision.BF16);
        out.println(bf16.measured() + ": the rows after bf16 build on " + (bf16.fasterThanFloat32() ? "bf16"
                : "fused float32"));
        out.println("| added | batch x accumulation | ms/step | tokens/s | vs first | step's extra peak | vs first |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        out.flush();
        TrainBench.Result[] first = new TrainBench.Result[1];
        try (TemporaryFolder work = TemporaryFolder.create("scratchgpt-bench")) {
            Ablation.run(model, training, device, warmup, steps, work.path(), peak, row -> {
                TrainBench.Result r = row.result();
                first[0] = first[0] == null ? r : first[0];
                out.printf(Locale.ROOT, "| %s | %d x %d | %.0f | %,.0f | %.2fx | %.0f MB | %.2fx |%n", row.added(),
                        row.settings().batchSize(), row.settings().accumulationSteps(), r.millisPerStep(),
                        r.tokensPerSecond(), r.tokensPerSecond() / first[0].tokensPerSecond(), r.stepExtraPeakMegabytes(),
                        r.stepExtraPeakMegabytes() / first[0].stepExtraPeakMegabytes());
                out.flush();
            });
        }
        explainExtraPeak(out);
    }

    private static void explainExtraPeak(PrintWriter out) {
        if (System.getenv("MALLOC_MMAP_THRESHOLD_") == null) {
            // glibc keeps freed blocks below its (self-raising) mmap threshold for reuse, so arrays freed by one
            // step stay resident and the next step's arrays fit in them without raising the peak.
            out.println("(The step's extra peak counts only memory the step newly took from the system: run with"
                    + " MALLOC_MMAP_THRESHOLD_=65536 in the environment to have every array counted.)");
        }
    }

    /** The median of HF's own in-process training time, so node's start-up is not counted against it. */
    private static double hfSeconds(HfNodeTrainer hf, Path textFile, Path work, int runs) {
        double[] seconds = new double[runs];
        try {
            for (int i = 0; i < runs; i++) {
                seconds[i] = hf.trainMillis("gpt2", List.of(textFile), work.resolve("hf.json")) / 1000;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Timing.median(seconds);
    }

    private static Path defaultGpt2() {
        String shared = System.getenv("SCRATCHGPT_SHARED");
        Path file = Path.of(shared != null ? shared : "../shared").resolve("tokenizers/gpt2/tokenizer.json");
        return Files.isRegularFile(file) ? file : null;
    }
}
