package org.scratchgpt.io;

import java.lang.management.ManagementFactory;

/**
 * How busy the machine is: the one-minute load average (processes running or waiting to run) against the number
 * of cores. Above the core count, something else competes for them, and a run or a benchmark is slower than this
 * machine can be. The system property {@code scratchgpt.loadAverage} stands in for the measured value: the tests
 * use it to show what a run says on a busy machine without making one busy.
 */
public final class MachineLoad {
    private MachineLoad() {}

    /** The one-minute load average, or a negative number where the system does not tell (Windows). */
    public static double loadAverage() {
        String given = System.getProperty("scratchgpt.loadAverage");
        if (given != null) {
            return Double.parseDouble(given);
        }
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
