package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Running out of memory is one line that says what did not fit and which plan command finds what does. */
class OutOfMemoryMessagesTest {
    private static final String CPU_ALLOCATOR = "[enforce fail at alloc_cpu.cpp:119] err == 0. DefaultCPUAllocator:"
            + " can't allocate memory: you tried to allocate 1099511627776 bytes. Error code 12 (Cannot allocate memory)";
    private static final String CUDA = "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.77 GiB total"
            + " capacity; 13.20 GiB already allocated; 1.05 GiB free; 13.44 GiB reserved in total by PyTorch)";

    @TempDir Path dir;

    private final StringWriter err = new StringWriter();

    /** The train command's command line, parsed from {@code args}, its errors going to {@link #err}. */
    private CommandLine train(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.parseArgs(args);
        CommandLine train = cli.getSubcommands().get("train");
        train.setErr(new PrintWriter(err, true));
        return train;
    }

    private String handle(Exception e, CommandLine cli) throws Exception {
        assertEquals(1, new FriendlyErrors().handleExecutionException(e, cli, cli.getParseResult()));
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), "one line: " + message);
        return message;
    }

    @Test
    void libtorchsAllocatorFailingNamesTheArrayAndThePlanCommandOfTheRun() throws Exception {
        CommandLine cli = train("train", "--set", "n_embd=64");
        TrainCommand command = cli.getCommand();
        command.memoryCheck.available = () -> 10_000_000_000L;
        command.memoryCheck.beforeStart("baby", Presets.model("baby").withOverrides(Map.of("n_embd", "64")),
                TrainingSettings.preset("baby"), new Compute(org.scratchgpt.model.Precision.FP32, true), false,
                Device.cpu());
        assertEquals("error: out of memory: libtorch could not allocate an array of 1099.5 GB, so the model or the"
                + " batch does not fit: find what fits with `scratchgpt plan --memory 10.0GB --preset baby"
                + " --set n_embd=64`", handle(new EngineException(CPU_ALLOCATOR), cli));
    }

    @Test
    void cudaRunningOutSaysSoAndWrappedFailuresAreFoundToo() throws Exception {
        CommandLine cli = train("train", "--device", "cuda");
        String message = handle(new IllegalStateException("step failed", new EngineException(CUDA)), cli);
        assertEquals("error: out of memory: libtorch could not allocate an array of 2.00 GiB on the GPU, so the model"
                + " or the batch does not fit: find what fits with `scratchgpt plan --memory SIZE` and this command's"
                + " --preset and --set", message);
    }

    @Test
    void otherEngineFailuresAreBugsAndKeepTheirStackTrace() {
        CommandLine cli = train("train");
        EngineException bug = new EngineException("Expected all tensors to be on the same device");
        assertSame(bug, assertThrows(EngineException.class,
                () -> new FriendlyErrors().handleExecutionException(bug, cli, cli.getParseResult())));
        assertEquals("", err.toString());
    }

    /** A command that runs out of Java heap, configured as {@link ScratchGpt#commandLine()} configures its own. */
    @Command(name = "greedy")
    static final class Greedy implements Runnable {
        @Override
        public void run() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void theJavaHeapRunningOutIsOneLineToo() {
        CommandLine cli = new CommandLine(new Greedy());
        cli.setExecutionExceptionHandler(new FriendlyErrors());
        cli.setExecutionStrategy(FriendlyErrors.passingOutOfMemoryErrors(cli.getExecutionStrategy()));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute());
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: the Java heap ran out of memory (Java heap space, at most ")
                && message.contains("SCRATCHGPT_JAVA_OPTS=-Xmx16g") && message.contains("`scratchgpt plan --memory SIZE`"),
                message);
    }

    /**
     * A real failure of libtorch's allocator, made safe: the JVM runs under a limit of 8 GB of address space (bash's
     * ulimit -v), and the model's first weight matrix alone needs 43 GB, so the allocation fails at once whatever
     * the machine, without a byte of it being touched. The memory check is skipped, as a user can.
     */
    @Test
    void aRealAllocationFailureIsOneLineNamingPlan() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/meminfo")) && Files.isExecutable(Path.of("/bin/bash")),
                "Linux with bash");
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "to be or not to be\n".repeat(40));
        ForkedJvm.Result result = ForkedJvm.run(dir, "ulimit -v 8000000", List.of("-Xmx1g"),
                ScratchGpt.class.getName(), "train", "--corpus", corpus.toString(), "--out", dir.resolve("run").toString(),
                "--device", "cpu", "--quiet", "--no-memory-check", "--set", "n_embd=60000", "--set", "n_head=1",
                "--set", "n_layer=1", "--set", "context_length=8", "--set", "batch_size=1");
        assertEquals(1, result.exitCode(), result.out() + result.err());
        List<String> errors = result.err().lines().filter(line -> line.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), result.err());
        assertTrue(errors.get(0).startsWith("error: out of memory: libtorch could not allocate an array of 43.2 GB, so"
                + " the model or the batch does not fit: find what fits with `scratchgpt plan --memory "), errors.get(0));
        assertTrue(errors.get(0).endsWith(" --preset baby --set context_length=8 --set n_layer=1 --set n_head=1"
                + " --set n_embd=60000 --set batch_size=1`"), errors.get(0));
        assertTrue(result.err().lines().noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception")),
                "no stack trace: " + result.err());
    }
}
