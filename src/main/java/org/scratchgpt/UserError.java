package org.scratchgpt;

/**
 * A problem with the user's input (a file, a setting, a corpus) rather than a bug in ScratchGPT.
 * The message names the problem and how to fix it; the command line prints it without a stack trace.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
