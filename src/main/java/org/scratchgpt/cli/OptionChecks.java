package org.scratchgpt.cli;

import org.scratchgpt.UserError;

/**
 * Checks of the counts that options take (steps, runs, intervals). Picocli reads any int, so a count of 0 or -3
 * would otherwise reach the work itself and fail there, late and obscurely, or be taken as nothing at all.
 */
final class OptionChecks {
    private OptionChecks() {}

    /**
     * Fails unless {@code value >= least}, before any work.
     *
     * @param meaning what the option counts, as the fix to give, e.g. "how many steps to time, e.g. 20"
     */
    static void requireAtLeast(String option, int value, int least, String meaning) {
        if (value < least) {
            throw new UserError(option + " " + value + " must be at least " + least + ": give " + meaning);
        }
    }
}
