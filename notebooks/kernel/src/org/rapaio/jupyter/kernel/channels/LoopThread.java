/*
 * rapaio-jupyter-kernel 3.0.1's LoopThread (MIT licence, Copyright 2023 Aurelian Tutuianu: see notebooks/kernel/LICENCE),
 * with one change for ScratchGPT's notebooks, marked "ScratchGPT:". notebooks/install-kernel compiles it into the
 * kernel's jar in place of the original.
 */
package org.rapaio.jupyter.kernel.channels;

/**
 * Thread which runs in loop the loop body after each waiting period.
 */
public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        // ScratchGPT: 3.0.1 set the flag after super.start(). On a busy machine the new thread could test it before
        // that, find it false and end at once, silently: the shell's thread was gone and the kernel never answered.
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
