package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train} refuses, before allocating, a run whose memory estimate exceeds what the machine has: one line that
 * says both figures and the {@code plan} command that finds what fits. Through the real command line; a smaller
 * machine is played by replacing the memory check's reading of the available memory.
 */
class MemoryCheckTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs the command line on a machine with {@code availableBytes} of memory (real memory when -1). */
    private int run(long availableBytes, String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        if (availableBytes > 0) {
            ((TrainCommand) cli.getSubcommands().get("train").getCommand()).memoryCheck.available = () -> availableBytes;
        }
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String[] train(String... extra) throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "to be or not to be, that is the question\n".repeat(40));
        List<String> args = new ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--out",
                dir.resolve("run").toString(), "--device", "cpu", "--quiet"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    /** The one error line, checked to be one line. */
    private String oneLineError() {
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), "one line, no stack trace: " + message);
        assertTrue(message.startsWith("error: "), message);
        return message;
    }

    /** The command between backticks in {@code message}, without the program's name. */
    private static String[] commandIn(String message) {
        String command = message.substring(message.indexOf('`') + 1, message.lastIndexOf('`'));
        assertTrue(command.startsWith("scratchgpt plan "), command);
        return command.substring("scratchgpt ".length()).split(" ");
    }

    @Test
    void aRunThatDoesNotFitIsRefusedWithThePlanCommandThatFindsWhatDoes() throws Exception {
        // 50M weights (0.8 GB with their gradients and AdamW's moments) fit in 2 GB; a batch of 12 long sequences does not.
        assertEquals(1, run(2_000_000_000L, train("--set", "n_embd=1024", "--set", "context_length=512")),
                out.toString());
        String message = oneLineError();
        assertTrue(message.matches("error: this run needs an estimated [0-9.]+ GB of memory \\(.*\\) but 2\\.0 GB is"
                + " available here: .*"), message);
        assertTrue(message.contains("`scratchgpt plan --memory 2.0GB --preset baby --set context_length=512"
                + " --set n_embd=1024`"), message);
        assertTrue(message.endsWith("or train anyway with --no-memory-check"), message);
        assertFalse(Files.exists(dir.resolve("run")), "nothing was prepared, let alone trained");

        assertEquals(0, run(-1, commandIn(message)), err.toString());
        assertTrue(out.toString().contains("fits: "), "the command it names is plan's, and finds a fit: " + out);
    }

    @Test
    void aModelBiggerThanThisMachineIsRefusedWithoutAllocatingIt() throws Exception {
        // 12 x 65536^2 weights per layer, 16 bytes each with gradients and AdamW: 3.3 TB for the 4 layers.
        assertEquals(1, run(-1, train("--set", "n_embd=65536", "--set", "n_head=1")), out.toString());
        String message = oneLineError();
        assertTrue(message.contains("this run needs an estimated 3") && message.contains("`scratchgpt plan --memory "),
                message);
    }

    /**
     * finetune --lora is estimated as LoRA trains: the frozen weights have no gradients and no AdamW moments. On a
     * 1-layer model 512 wide (3.2M weights: 12.6 MB, 50 MB with gradients and moments), 445 MB holds LoRA (about 430
     * MB with the runtime's 400 MB) but not full fine-tuning (about 463 MB), which the check estimated for both.
     */
    @Test
    void loraFineTuningIsEstimatedWithoutTheFrozenWeightsGradientsAndMoments() throws Exception {
        Path base = TinyRun.train(dir, "base", 16, 1, 1, "n_layer=1", "n_embd=512", "n_head=8");
        Path text = TinyRun.otherText(dir);
        List<String> finetune = List.of("finetune", "--from", base.toString(), "--corpus", text.toString(),
                "--set", "max_iters=1", "--set", "eval_interval=1", "--set", "eval_iters=1", "--device", "cpu",
                "--quiet");
        List<String> full = new ArrayList<>(finetune);
        full.addAll(List.of("--out", dir.resolve("full").toString()));
        assertEquals(1, runFinetune(445_000_000L, full), out.toString());
        assertTrue(oneLineError().contains("but 445.0 MB is available here"), err.toString());

        List<String> lora = new ArrayList<>(finetune);
        lora.addAll(List.of("--out", dir.resolve("lora").toString(), "--lora", "4"));
        assertEquals(0, runFinetune(445_000_000L, lora), err.toString());
    }

    private int runFinetune(long availableBytes, List<String> args) {
        CommandLine cli = ScratchGpt.commandLine();
        ((FinetuneCommand) cli.getSubcommands().get("finetune").getCommand()).memoryCheck.available = () -> availableBytes;
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void theCheckCanBeSkippedAndAResumedRunIsCheckedWithItsOwnFields() throws Exception {
        String[] tiny = {"--set", "n_layer=1", "--set", "n_embd=32", "--set", "n_head=2", "--set", "context_length=16",
            "--set", "batch_size=4", "--set", "max_iters=2", "--set", "eval_interval=2", "--set", "eval_iters=1"};
        List<String> skipping = new ArrayList<>(Arrays.asList(train(tiny)));
        skipping.add("--no-memory-check");
        assertEquals(0, run(1_000_000, skipping.toArray(String[]::new)), err.toString());
        assertTrue(out.toString().contains("trained 2 steps"), out.toString());

        assertEquals(1, run(1_000_000, "train", "--resume", dir.resolve("run/latest").toString(), "--set", "max_iters=4",
                "--device", "cpu", "--quiet"), out.toString());
        String message = oneLineError();
        assertTrue(message.contains("`scratchgpt plan --memory 1MB --preset baby --set context_length=16 --set n_layer=1"
                + " --set n_head=2 --set n_embd=32 --set batch_size=4 --set max_iters=4 --set warmup_iters=0"
                + " --set lr_decay_iters=2 --set eval_interval=2"
                + " --set eval_iters=1`"), message);
    }
}
