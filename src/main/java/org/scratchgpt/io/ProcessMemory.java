package org.scratchgpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory as Linux reports it in /proc/self/status, for metrics and benchmarks; and the memory the
 * system has left for it (/proc/meminfo), for the check before training.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    private static final Path STATUS = Path.of("/proc/self/status");

    /** Resident memory now (VmRSS), in MB, or -1 where it cannot be read. */
    public static double residentMegabytes() {
        return megabytes(STATUS, "VmRSS:");
    }

    /** The most resident memory the process has held (VmHWM), in MB, or -1. */
    public static double peakResidentMegabytes() {
        return megabytes(STATUS, "VmHWM:");
    }

    /**
     * The memory the system can still give to programs without swapping (MemAvailable: free memory plus the caches
     * it can drop), in MB, or -1 where it cannot be read.
     */
    public static double systemAvailableMegabytes() {
        return megabytes(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    /**
     * Starts a new peak: Linux sets VmHWM back to the resident memory now when "5" is written to
     * /proc/self/clear_refs, so the next {@link #peakResidentMegabytes()} is the peak since this call. Returns
     * false where that is not possible (not Linux, or a kernel that refuses).
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double megabytes(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
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
