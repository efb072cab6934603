package org.scratchgpt.training;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM (what {@code docker stop} and schedulers send) during training. By default the
 * JVM would exit at once, losing every step since the last evaluation. Instead the first signal asks the loop to
 * stop after the step it is in, write {@code latest/} and say how to resume; a second one stops at once, which is
 * still safe, because a checkpoint is swapped in whole or not at all.
 *
 * <p>Java has no public API for signal handlers; {@code sun.misc.Signal} (module jdk.unsupported) is the one
 * every JVM provides and is meant for exactly this.
 */
public final class StopRequest implements AutoCloseable {
    private volatile String signal; // null until a stop was asked for
    private long stopAtStep = Long.MAX_VALUE; // for tests: a stop asked for at an exact step
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopRequest() {}

    /** A request that only {@link #request} triggers: for runs inside a program, and for tests. */
    public static StopRequest manual() {
        return new StopRequest();
    }

    /** Listens to SIGINT and SIGTERM until closed, when the JVM's own handlers come back. */
    public static StopRequest onSignals() {
        StopRequest stop = new StopRequest();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                stop.previous.add(Signal.handle(signal, s -> stop.onSignal("SIG" + s.getName(), 128 + s.getNumber())));
                stop.installed.add(signal);
            } catch (IllegalArgumentException e) {
                // This platform or JVM (-Xrs) does not let us handle it: the default, stopping at once, stays.
            }
        }
        return stop;
    }

    private void onSignal(String name, int exitCode) {
        if (signal != null) {
            System.err.println("\n" + name + " again: stopping now; the last complete checkpoint is kept");
            System.err.flush();
            Runtime.getRuntime().halt(exitCode);
        }
        request(name);
        System.err.println("\n" + name + ": stopping after the current step and writing latest/ (a second Ctrl-C or"
                + " SIGTERM stops at once)");
        System.err.flush();
    }

    /** Asks the loop to stop after the current step; {@code why} names the cause (e.g. "SIGINT"). */
    public void request(String why) {
        signal = why;
    }

    /** For tests: a request made exactly when the loop reaches {@code step}, as a Ctrl-C during the step before. */
    static StopRequest atStep(long step) {
        StopRequest stop = new StopRequest();
        stop.stopAtStep = step;
        return stop;
    }

    public boolean requested() {
        return signal != null;
    }

    /** Whether the loop, about to run step {@code step}, should stop instead. */
    boolean stopsBefore(long step) {
        if (step >= stopAtStep && signal == null) {
            request("a test's stop at step " + step);
        }
        return requested();
    }

    /** What asked for the stop, e.g. "SIGINT"; null if nothing did. */
    public String cause() {
        return signal;
    }

    /** The exit code a shell expects of a process stopped by a signal: 128 + its number (130 for SIGINT). */
    public static int exitCodeOf(String cause) {
        return switch (cause == null ? "" : cause) {
            case "SIGINT" -> 130;
            case "SIGTERM" -> 143;
            default -> 1;
        };
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
        installed.clear();
        previous.clear();
    }
}
