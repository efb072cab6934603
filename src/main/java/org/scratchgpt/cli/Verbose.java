package org.scratchgpt.cli;

/**
 * The {@code --verbose} option every command inherits: what a user needs only when something is off. Without it a
 * command prints its own output and its own notes; with it also what {@code --device auto} picked and why, our
 * debug lines, and the libraries' information (DJL's engine, libtorch's threads), which SLF4J's simple logger
 * otherwise keeps at warnings (src/main/resources/simplelogger.properties).
 */
final class Verbose {
    private static final String[][] LEVELS = {{"org.slf4j.simpleLogger.defaultLogLevel", "info"},
        {"org.slf4j.simpleLogger.log.ai.djl", "info"}, {"org.slf4j.simpleLogger.log.org.scratchgpt", "debug"}};

    private static volatile boolean on;

    private Verbose() {}

    static boolean on() {
        return on;
    }

    /**
     * Sets the option. The logger reads its levels when each logger is made, and DJL's loggers are made when its
     * classes load, after the command line is parsed: so system properties set here still count.
     */
    static void set(boolean verbose) {
        on = verbose;
        for (String[] level : LEVELS) {
            if (verbose) {
                System.setProperty(level[0], level[1]);
            } else {
                System.clearProperty(level[0]); // simplelogger.properties holds the quiet levels
            }
        }
    }
}
