package org.scratchgpt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code scratchgpt} in a JVM of its own, as a user runs it: for what only a real process shows (being killed,
 * signals, file locks between processes). Its output goes to files in {@code workDir}.
 */
final class ScratchGptProcess {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ScratchGptProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code scratchgpt args...} with the test's classpath and the given -D system properties. */
    static ScratchGptProcess start(Path workDir, List<String> systemProperties, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true"));
        systemProperties.forEach(property -> command.add("-D" + property));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScratchGpt.class.getName()));
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OMP_NUM_THREADS", "1");
        return new ScratchGptProcess(builder.start(), out, err);
    }

    /** Runs to the end (at most 3 minutes) and returns the exit code. */
    int waitFor() throws InterruptedException, IOException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("scratchgpt did not finish in 3 minutes: " + stderr());
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (INT, TERM) as a terminal or {@code docker stop} would. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }
}
