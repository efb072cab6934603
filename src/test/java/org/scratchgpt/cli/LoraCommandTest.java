package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.io.Sha256;
import org.scratchgpt.lora.AdapterFile;
import org.scratchgpt.lora.LoraCheckpoint;
import org.scratchgpt.lora.LoraModel;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.lora.LoraTarget;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.tokens.TokenSplit;
import org.scratchgpt.training.TrainingRun;
import picocli.CommandLine;

/**
 * {@code finetune --lora}, {@code lora merge} and {@code sample} of an adapter folder through the real command line,
 * on a tiny model: only the adapters learn and are saved, the base stays bit for bit, a resumed LoRA run equals an
 * uninterrupted one, and a base that moved or changed is named in one line.
 */
class LoraCommandTest {
    @TempDir static Path dir;
    private static Path source;
    private static Path newText;
    private static String sourceWeightsSha256;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void trainSource() throws Exception {
        source = TinyRun.train(dir, "source", 16, 4, 2);
        sourceWeightsSha256 = Sha256.of(Checkpoint.parametersFileIn(source));
        newText = TinyRun.otherText(dir);
    }

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** A LoRA fine-tuning of {@code source} into {@code dir/name}: steps, a fixed schedule, and {@code more}. */
    private int lora(String name, int steps, String... more) {
        List<String> args = new ArrayList<>(List.of("finetune", "--from", source.toString(), "--corpus",
                newText.toString(), "--out", dir.resolve(name).toString(), "--set", "max_iters=" + steps, "--set",
                "eval_interval=3", "--set", "eval_iters=1", "--set", "warmup_iters=1", "--set", "lr_decay_iters=8",
                "--set", "learning_rate=1e-2", "--set", "min_lr=1e-3", "--quiet"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aLoraCheckpointHoldsOnlyTheAdaptersAndTheirMomentsAndNamesItsBase() throws Exception {
        assertEquals(0, lora("adapted", 6, "--lora", "4", "--lora-targets", "qkv,proj,mlp,head"), err.toString());
        Path latest = dir.resolve("adapted").resolve("latest");
        assertTrue(Files.exists(latest.resolve(AdapterFile.NAME)) && LoraCheckpoint.isLora(latest));
        try (var files = Files.list(latest)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".params")), "no copy of the base weights");
        }
        var reference = Checkpoint.read(latest).state().finetunedFrom().orElseThrow();
        assertEquals(sourceWeightsSha256, reference.weightsSha256());
        assertEquals(sourceWeightsSha256, Sha256.of(Checkpoint.parametersFileIn(source)), "the source is untouched");
        // 2 layers x (qkv, proj, widen, narrow) + the head, each with A and B
        assertEquals(18, optimizerEntries(latest), "the optimizer keeps moments for the adapters only");
        assertTrue(Files.size(latest.resolve(AdapterFile.NAME)) < Files.size(Checkpoint.parametersFileIn(source)));
        assertLossFellAndStayedFinite(dir.resolve("adapted"));
        // A command that needs a whole model says how to make one.
        err.getBuffer().setLength(0);
        assertOneLineError(run("finetune", "--from", latest.toString(), "--corpus", newText.toString(), "--out",
                dir.resolve("again").toString()), err.toString(), "holds LoRA adapters, not a whole model", "lora merge");
    }

    /** Each way of computing a training step, as the full training uses it, trains the adapters. */
    @ParameterizedTest
    @CsvSource({"bf16,false,1", "fp32,true,1", "fp32,false,2", "bf16,true,2"})
    void loraTrainsWithEachPrecisionCheckpointingAndAccumulation(String precision, boolean checkpointing,
            int accumulation) throws Exception {
        String name = "combo-" + precision + "-" + checkpointing + "-" + accumulation;
        List<String> more = new ArrayList<>(List.of("--lora", "4", "--lora-targets", "qkv,proj,mlp,head",
                "--lora-dropout", "0.1", "--precision", precision, "--set",
                "gradient_accumulation_steps=" + accumulation));
        if (checkpointing) {
            more.add("--checkpoint-activations");
        }
        assertEquals(0, lora(name, 6, more.toArray(String[]::new)), err.toString());
        assertLossFellAndStayedFinite(dir.resolve(name));
    }

    @Test
    void aResumedLoraRunEqualsAnUninterruptedOne() throws Exception {
        String[] settings = {"--lora", "4", "--lora-dropout", "0.1", "--lora-targets", "qkv,mlp"};
        assertEquals(0, lora("whole", 6, settings), err.toString());
        assertEquals(0, lora("halves", 3, settings), err.toString());
        Path halves = dir.resolve("halves").resolve("latest");
        assertEquals(0, run("train", "--resume", halves.toString(), "--set", "max_iters=6", "--quiet"), err.toString());
        Path whole = dir.resolve("whole").resolve("latest");
        assertEquals(6, Checkpoint.read(halves).state().step());
        assertArrayEquals(Files.readAllBytes(whole.resolve(AdapterFile.NAME)),
                Files.readAllBytes(halves.resolve(AdapterFile.NAME)), "adapters bit for bit");
        assertArrayEquals(Files.readAllBytes(whole.resolve("optimizer.bin")),
                Files.readAllBytes(halves.resolve("optimizer.bin")), "optimizer moments bit for bit");
    }

    /**
     * Two identical LoRA runs, one of them while another thread keeps Java's garbage collector busy and fills the
     * memory it frees, end with the same adapters bit for bit and finite losses. Before model.Scalars the busy one
     * read freed numbers in its backward pass: "gradient norm Infinity" at step 0 or 1, or a run that differed from
     * its twin (training.GarbageCollectionMidStepTest shows the mechanism step by step).
     */
    @Test
    void aLoraRunIsTheSameWhateverTheGarbageCollectorDoes() throws Exception {
        String[] settings = {"--lora", "4", "--lora-targets", "qkv,proj,mlp,head", "--attention", "explicit"};
        assertEquals(0, lora("quiet", 6, settings), err.toString());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread collector = new Thread(() -> {
            while (running.get()) {
                List<java.nio.ByteBuffer> filled = new ArrayList<>();
                System.gc();
                for (int i = 0; i < 64; i++) {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(4 << (i % 4));
                    while (buffer.remaining() >= Float.BYTES) {
                        buffer.putFloat(1e30f);
                    }
                    filled.add(buffer);
                }
                Thread.onSpinWait();
            }
        }, "busy-collector");
        collector.start();
        try {
            assertEquals(0, lora("busy", 6, settings), err.toString());
        } finally {
            running.set(false);
            collector.join();
        }
        assertLossFellAndStayedFinite(dir.resolve("busy"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("quiet").resolve("latest").resolve(AdapterFile.NAME)),
                Files.readAllBytes(dir.resolve("busy").resolve("latest").resolve(AdapterFile.NAME)),
                "adapters bit for bit");
    }

    @Test
    void theBaseStaysBitIdenticalWhileTheAdaptersTrain() throws Exception {
        assertEquals(0, lora("frozen", 1, "--lora", "2", "--lora-targets", "qkv,proj,mlp,head"), err.toString());
        Path tokens = dir.resolve("frozen").resolve("data").resolve(TokenSplit.TRAIN_FILE);
        Checkpoint.Contents base = Checkpoint.read(source);
        TrainingSettings training = base.training().withOverrides(Map.of("batch_size", "4", "learning_rate", "1e-2",
                "warmup_iters", "0", "gradient_accumulation_steps", "2"));
        Shape batch = new Shape(4, base.model().contextLength());
        LoraSettings settings = new LoraSettings(2, 4, 0.1, java.util.EnumSet.allOf(LoraTarget.class));
        try (Model model = Model.newInstance("lora", Device.cpu()); Model plain = Model.newInstance("base", Device.cpu())) {
            Gpt adapted = LoraModel.adapt(new Gpt(base.model(), Compute.REFERENCE), settings);
            model.setBlock(adapted);
            LoraModel.loadBase(model, source, batch);
            AdamW optimizer = training.newOptimizer();
            try (Trainer trainer = TrainingRun.newTrainer(model, optimizer, Device.cpu(), batch)) {
                Runnable step = TrainingRun.benchmarkSteps(trainer, tokens, training, true);
                for (int i = 0; i < 3; i++) {
                    step.run();
                }
            }
            plain.setBlock(new Gpt(base.model()));
            Checkpoint.loadInto(plain, source, batch);
            for (Pair<String, Parameter> p : plain.getBlock().getParameters()) {
                assertArrayEquals(p.getValue().getArray().toFloatArray(),
                        adapted.getParameters().get(p.getKey()).getArray().toFloatArray(), p.getKey() + " moved");
            }
            for (var entry : LoraModel.adapterParameters(adapted).entrySet()) {
                if (entry.getKey().endsWith("_B")) {
                    assertTrue(entry.getValue().getArray().abs().max().getFloat() > 0, entry.getKey() + " did not learn");
                }
            }
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            optimizer.saveState(new DataOutputStream(state), adapted.getParameters());
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(state.toByteArray()));
            in.readUTF();
            assertEquals(LoraModel.adapterParameters(adapted).size(), in.readInt(), "moments for the adapters only");
        }
    }

    @Test
    void sampleMergeAndABaseThatMovedOrChanged() throws Exception {
        assertEquals(0, lora("to-merge", 3, "--lora", "4", "--lora-targets", "qkv,proj,mlp,head"), err.toString());
        Path adapter = dir.resolve("to-merge").resolve("latest");
        out.getBuffer().setLength(0);
        assertEquals(0, run("sample", "--checkpoint", adapter.toString(), "--prompt", "to be", "--max-tokens", "20",
                "--temperature", "0"), err.toString());
        String adaptedText = out.toString();
        out.getBuffer().setLength(0);
        Path merged = dir.resolve("merged");
        assertEquals(0, run("lora", "merge", "--adapter", adapter.toString(), "--out", merged.toString()), err.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("sample", "--checkpoint", merged.toString(), "--prompt", "to be", "--max-tokens", "20",
                "--temperature", "0"), err.toString());
        assertEquals(adaptedText, out.toString(), "the merged model says what base + adapters said");
        assertTrue(Files.isDirectory(merged.resolve("latest")) && Files.isDirectory(merged.resolve("best")),
                "a run folder, as import writes one: sample took its best/");
        assertFalse(Checkpoint.read(merged.resolve("best")).model().tiedEmbeddings(), "the adapted tied head is untied");
        err.getBuffer().setLength(0);
        Path fromFolder = dir.resolve("merged-from-folder");
        assertEquals(0, run("lora", "merge", "--adapter", adapter.getParent().toString(), "--out", fromFolder.toString()),
                err.toString());
        assertTrue(err.toString().startsWith("using " + adapter.getParent().resolve("best") + " (the run's best"),
                "--adapter takes a LoRA run's best/: " + err);
        err.getBuffer().setLength(0);
        assertOneLineError(run("lora", "merge", "--adapter", adapter.toString(), "--out", merged.toString()),
                err.toString(), "already exists");

        // The base moves: named in one line, and --base finds it again.
        Path moved = dir.resolve("moved-source");
        Files.move(source.getParent(), moved);
        try {
            err.getBuffer().setLength(0);
            assertOneLineError(run("sample", "--checkpoint", adapter.toString(), "--max-tokens", "5"), err.toString(),
                    "is not there", "--base DIR", sourceWeightsSha256);
            assertEquals(0, run("sample", "--checkpoint", adapter.toString(), "--max-tokens", "5", "--base",
                    moved.resolve("best").toString()), err.toString());
            // Another model at the named place: refused by its hash.
            err.getBuffer().setLength(0);
            assertOneLineError(run("sample", "--checkpoint", adapter.toString(), "--max-tokens", "5", "--base",
                    merged.resolve("best").toString()), err.toString(), "is not the one the LoRA adapters",
                    "were trained on");
        } finally {
            Files.move(moved, source.getParent());
        }
    }

    @Test
    void badLoraValuesAreOneLine() {
        assertOneLineError(lora("bad1", 2, "--lora", "0"), err.toString(), "LoRA rank 0", "--lora 8");
        err.getBuffer().setLength(0);
        assertOneLineError(lora("bad2", 2, "--lora-alpha", "8"), err.toString(), "add --lora RANK");
        err.getBuffer().setLength(0);
        assertOneLineError(lora("bad3", 2, "--lora", "4", "--lora-targets", "qkv,attn"), err.toString(),
                "unknown LoRA target 'attn'", "qkv, proj, mlp, head");
        err.getBuffer().setLength(0);
        assertOneLineError(lora("bad4", 2, "--lora", "4", "--lora-dropout", "1"), err.toString(), "--lora-dropout 1.0");
        err.getBuffer().setLength(0);
        assertOneLineError(lora("bad5", 2, "--lora", "100000"), err.toString(), "LoRA rank 100000 is above its width"
                + " of 32 (n_embd)", "use --lora 8", "at most 32");
        assertFalse(Files.exists(dir.resolve("bad5")), "refused before any work");
        err.getBuffer().setLength(0);
        assertOneLineError(run("lora", "merge", "--adapter", source.toString(), "--out", dir.resolve("m2").toString()),
                err.toString(), "not a LoRA checkpoint");
    }

    private static int optimizerEntries(Path checkpoint) throws Exception {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(checkpoint.resolve("optimizer.bin")))) {
            in.readUTF();
            return in.readInt();
        }
    }

    /** Every step's loss finite, and the last one below the first. */
    private static void assertLossFellAndStayedFinite(Path runDir) throws Exception {
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            var json = JsonParser.parseString(line).getAsJsonObject();
            if (json.get("kind").getAsString().equals("step")) {
                losses.add(json.get("loss").getAsDouble());
            }
        }
        assertTrue(losses.size() >= 3, "steps: " + losses);
        assertTrue(losses.stream().allMatch(Double::isFinite), "finite: " + losses);
        assertTrue(losses.get(losses.size() - 1) < losses.get(0), "the loss should fall: " + losses);
    }
}
