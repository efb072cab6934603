package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a JVM of its own on the tests' classpath, for what the test's own JVM cannot show: a fresh
 * temporary directory (read once per process), or a limit on the memory a process may take.
 */
final class ForkedJvm {
    private ForkedJvm() {}

    record Result(int exitCode, String out, String err) {}

    /**
     * Runs {@code mainClass} with {@code args}; {@code shellFirst}, when not null, is a bash command run before the
     * JVM in the same process (e.g. {@code ulimit -v 8000000}). Its output goes to files in {@code dir}.
     */
    static Result run(Path dir, String shellFirst, List<String> jvmOptions, String mainClass, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        if (shellFirst != null) {
            command.addAll(List.of("bash", "-c", shellFirst + " && exec \"$@\"", "bash"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        Process process = builder.start();
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the process finishes");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
