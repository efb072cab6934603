package org.scratchgpt.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.scratchgpt.UserError;

/**
 * A peer script of {@code src/test/python} kept running under the machine's python3 with torch: it warms up, says
 * it is ready in one JSON line, then answers one JSON line per command written to its stdin. Keeping one process
 * lets ScratchGPT and PyTorch take turns without timing Python's start-up, and lets us read which BLAS it loaded.
 */
final class PythonPeer implements AutoCloseable {
    private final Process process;
    private final BufferedReader replies;
    private final PrintWriter commands;
    private final List<String> log = new ArrayList<>();
    private final JsonObject ready;

    private PythonPeer(Process process) throws IOException {
        this.process = process;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.ready = nextJson();
    }

    /** Starts {@code script} (a path under src/test/python) with {@code arguments} and as many threads as cores. */
    static PythonPeer start(String script, List<String> arguments) throws IOException {
        Path file = Path.of("src/test/python").resolve(script);
        if (!Files.isRegularFile(file)) {
            throw new UserError("--vs-torch needs " + file + ": run the benchmark from the project folder");
        }
        List<String> command = new ArrayList<>(List.of(findPython(), file.toString()));
        command.addAll(arguments);
        command.addAll(List.of("--threads", "" + threads()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "" + threads());
        return new PythonPeer(builder.start());
    }

    /** The same thread count as ScratchGPT's libtorch: every core. */
    static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The first of these interpreters that can import torch ({@code python3} may be a virtualenv's without it). */
    static String findPython() throws IOException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new UserError("--vs-torch needs python3 with torch: on Debian, apt-get install python3-torch"
                + " libopenblas0-openmp (OpenBLAS: with the reference BLAS PyTorch runs several times slower)");
    }

    /** Whether some python3 here can import torch (tests that need the peer skip without it). */
    static boolean available() {
        try {
            findPython();
            return true;
        } catch (IOException | UserError e) {
            return false;
        }
    }

    /** The line the script printed when it was ready (its torch version, threads and what it computes). */
    JsonObject ready() {
        return ready;
    }

    /** E.g. "PyTorch 1.13.0a0 eager, 2 threads", from the ready line. */
    String describe() {
        return "PyTorch " + ready.get("torch").getAsString() + " eager, " + ready.get("threads").getAsInt() + " threads";
    }

    /** How the script computes attention, from the ready line (1.13 has no fused kernel, so it is written out). */
    String attention() {
        return ready.get("attention").getAsString();
    }

    /** The BLAS the script's process loaded. */
    LoadedBlas blas() {
        return LoadedBlas.among(mappedLibraries());
    }

    /** Sends one command and returns the script's one-line JSON answer. */
    JsonObject ask(String command) throws IOException {
        commands.println(command);
        JsonObject reply = nextJson();
        if (reply.has("error")) {
            throw new IOException("the PyTorch peer: " + reply.get("error").getAsString());
        }
        return reply;
    }

    /** The paths of the shared libraries the script's process has mapped (Linux; empty elsewhere). */
    List<String> mappedLibraries() {
        Path maps = Path.of("/proc", "" + process.pid(), "maps");
        try {
            return Files.readAllLines(maps).stream().map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(path -> path.contains(".so")).distinct().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The next line of output that is a JSON object; lines before it (warnings) are kept for an error message. */
    private JsonObject nextJson() throws IOException {
        for (String line; (line = replies.readLine()) != null; ) {
            if (line.startsWith("{")) {
                return JsonParser.parseString(line).getAsJsonObject();
            }
            log.add(line);
        }
        throw new UserError("the PyTorch peer stopped (is python3-torch installed?): "
                + String.join(" / ", log.subList(Math.max(0, log.size() - 5), log.size())));
    }

    @Override
    public void close() {
        commands.println("quit");
        commands.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
