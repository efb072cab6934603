package org.scratchgpt.notebooks;

import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads on every core until closed: the machine of a learner who opens a notebook while a training runs
 * beside it. A Jupyter kernel that loses a start-up race there loses it here too.
 */
final class CpuLoad implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private CpuLoad() {}

    /** Starts one busy thread per core. */
    static CpuLoad onEveryCore() {
        CpuLoad load = new CpuLoad();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread thread = new Thread(load::spin, "cpu-load-" + i);
            thread.setDaemon(true); // never keeps the test's JVM alive
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void spin() {
        long x = 1;
        while (running) {
            x = x * 6364136223846793005L + 1442695040888963407L; // work the JIT cannot remove: x is read below
        }
        if (x == 42) {
            System.out.print("");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
