package org.scratchgpt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a JVM of its own on the tests' classpath, for what the test's own JVM cannot show: a fresh
 * temporary directory (read once per process), a limit on the memory a process may take, a process that is
 * killed or signalled, a file lock held by another process. Its output goes to files in the given folder.
 */
final class ForkedJvm {
    private final Process process;
    private final Path out;   // null when the test reads standard output itself: output()
    private final Path err;

    private ForkedJvm(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    record Result(int exitCode, String out, String err) {}

    /** Runs {@code mainClass} with {@code args} to the end; see {@link #start}. */
    static Result run(Path dir, String shellFirst, List<String> jvmOptions, String mainClass, String... args)
            throws Exception {
        ForkedJvm jvm = start(dir, shellFirst, jvmOptions, mainClass, args);
        int exitCode = jvm.waitFor();
        return new Result(exitCode, jvm.stdout(), jvm.stderr());
    }

    /** Starts {@code scratchgpt args...} with the given JVM options (e.g. -D properties). */
    static ForkedJvm scratchgpt(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return start(dir, null, jvmOptions, ScratchGpt.class.getName(), args);
    }

    /**
     * Starts {@code scratchgpt args...} with its standard output a pipe that the test reads, and may close, through
     * {@link #output()}, as {@code scratchgpt ... | head} would; standard input is {@code input}'s text.
     */
    static ForkedJvm scratchgptReadByTest(Path dir, Path input, String... args) throws IOException {
        ProcessBuilder builder = builder(dir, List.of(), System.getProperty("java.class.path"),
                ScratchGpt.class.getName(), args).redirectInput(input.toFile());
        Path err = Files.createTempFile(dir, "err", ".txt");
        return new ForkedJvm(builder.redirectError(err.toFile()).start(), null, err);
    }

    /**
     * Starts {@code mainClass} with {@code args}; {@code shellFirst}, when not null, is a bash command run before
     * the JVM in the same process (e.g. {@code ulimit -v 8000000}).
     */
    static ForkedJvm start(Path dir, String shellFirst, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        return start(dir, shellFirst, jvmOptions, System.getProperty("java.class.path"), mainClass, args);
    }

    /**
     * Runs {@code scratchgpt args...} to the end with standard input and output on a pseudo-terminal (made by
     * util-linux's {@code script}), as a user at a terminal has them, and standard error redirected to a file, as in
     * {@code scratchgpt train 2>log.txt}: so System.console() is there, yet what goes to standard error is a file.
     * With {@code stderrToFile} false, standard error is on the terminal too, and comes back as standard output.
     */
    static Result scratchgptOnTerminal(Path dir, List<String> jvmOptions, boolean stderrToFile, String... args)
            throws Exception {
        List<String> command = builder(dir, jvmOptions, System.getProperty("java.class.path"),
                ScratchGpt.class.getName(), args).command();
        Path err = Files.createTempFile(dir, "err", ".txt");
        StringBuilder line = new StringBuilder();
        for (String word : command) {
            line.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        if (stderrToFile) {
            line.append("2>'").append(err).append('\'');
        }
        ProcessBuilder script = new ProcessBuilder("script", "-qec", line.toString(), "/dev/null");
        script.environment().put("DJL_OFFLINE", "true");
        script.environment().put("OMP_NUM_THREADS", "1");
        Path out = Files.createTempFile(dir, "out", ".txt");
        ForkedJvm jvm = new ForkedJvm(script.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectErrorStream(true).start(), out, err);
        int exitCode = jvm.waitFor();
        return new Result(exitCode, jvm.stdout(), jvm.stderr());
    }

    /** Whether util-linux's {@code script}, which {@link #scratchgptOnTerminal} needs, is on this machine. */
    static boolean canMakeTerminals() {
        try {
            return new ProcessBuilder("script", "-qec", "true", "/dev/null").redirectInput(
                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Runs the program in the one Java source file {@code source} (Java's source-file mode compiles it in memory)
     * on {@code classpath}, to the end: a program as a user would write and run it.
     */
    static Result runSource(Path dir, String classpath, Path source, String... args) throws Exception {
        ForkedJvm jvm = start(dir, null, List.of(), classpath, source.toString(), args);
        int exitCode = jvm.waitFor();
        return new Result(exitCode, jvm.stdout(), jvm.stderr());
    }

    /** The tests' classpath without ScratchGPT's own classes: DJL, libtorch and the other libraries only. */
    static String classpathWithoutScratchGpt() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith(Path.of("target", "classes"))
                        && !Path.of(entry).endsWith(Path.of("target", "test-classes")))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static ForkedJvm start(Path dir, String shellFirst, List<String> jvmOptions, String classpath,
                                   String mainClass, String... args) throws IOException {
        ProcessBuilder builder = builder(dir, jvmOptions, classpath, mainClass, args);
        if (shellFirst != null) {
            builder.command().addAll(0, List.of("bash", "-c", shellFirst + " && exec \"$@\"", "bash"));
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        return new ForkedJvm(builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
    }

    /** The java command for {@code mainClass} on {@code classpath}, offline, on one thread; made in {@code dir}. */
    private static ProcessBuilder builder(Path dir, List<String> jvmOptions, String classpath, String mainClass,
                                          String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dai.djl.offline=true", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder;
    }

    /** Whether the process ended within {@code seconds}. */
    boolean endsWithin(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Ends the process at once, e.g. a test's that did not stop. */
    void kill() {
        process.destroyForcibly();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Standard output as a pipe, for a process started by {@link #scratchgptReadByTest}. */
    java.io.InputStream output() {
        return process.getInputStream();
    }

    /** Waits for the end (at most 3 minutes) and returns the exit code. */
    int waitFor() throws InterruptedException, IOException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the process did not finish in 3 minutes: " + stderr());
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (INT, TERM), as a terminal's Ctrl-C or {@code docker stop} would. */
    void signal(String name) throws IOException, InterruptedException {
        // bash's built-in kill: no separate kill program need be installed.
        new ProcessBuilder("bash", "-c", "kill -" + name + " " + process.pid()).inheritIO().start().waitFor();
    }

    String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }
}
