package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as Linux reports it in /proc/self/status, for metrics and benchmarks. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Resident memory now (VmRSS), in MB, or -1 where it cannot be read. */
    public static double residentMegabytes() {
        return megabytes("VmRSS:");
    }

    /** The most resident memory the process has held (VmHWM), in MB, or -1. */
    public static double peakResidentMegabytes() {
        return megabytes("VmHWM:");
    }

    /**
     * Starts a new peak: Linux sets VmHWM back to the current VmRSS when "5" is written to /proc/self/clear_refs
     * (Linux 4.0 and later). Returns false where that is not possible; the peak then covers the whole process.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // not Linux, or not allowed
        }
    }

    private static double megabytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // the line is in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
