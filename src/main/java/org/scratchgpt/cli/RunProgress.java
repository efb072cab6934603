package org.scratchgpt.cli;

import org.scratchgpt.io.Terminal;
import picocli.CommandLine.Option;

/** How a training run reports its steps: {@code --log-interval} and {@code --quiet}, shared by train and finetune. */
final class RunProgress {

    @Option(names = "--log-interval", paramLabel = "N", defaultValue = "50",
            description = "Steps between log lines when there is no terminal for a progress bar (a line also comes"
                    + " every 30 seconds), 1 or more (default: ${DEFAULT-VALUE}).")
    int logInterval = 50;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The log interval, checked. */
    int logInterval() {
        OptionChecks.requireAtLeast("--log-interval", logInterval, 1, "how many steps between log lines, e.g. 50");
        return logInterval;
    }

    /** Whether to draw a progress bar: only when standard error is a terminal, and not when asked to be quiet. */
    boolean bar() {
        return !quiet && Terminal.onStandardError();
    }
}
