package org.scratchgpt.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can cause (bad files, bad settings) into one clear line and exit code 1,
 * instead of a stack trace. Bugs still print their stack trace, so that they get reported.
 */
final class FriendlyErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) throws Exception {
        if (e instanceof org.scratchgpt.UserError || e instanceof java.io.IOException) {
            cli.getErr().println(cli.getColorScheme().errorText("error: " + e.getMessage()));
            return 1;
        }
        throw e;
    }
}
