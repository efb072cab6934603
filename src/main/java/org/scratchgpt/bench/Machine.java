package org.scratchgpt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line that says where a benchmark ran, printed above every table so numbers keep their context. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown CPU";
    }
}
