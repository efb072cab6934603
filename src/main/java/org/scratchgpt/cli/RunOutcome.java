package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scratchgpt.io.NewFolders;
import org.scratchgpt.training.StopRequest;
import org.scratchgpt.training.TrainingRun;
import picocli.CommandLine.Model.CommandSpec;

/** What train and finetune do around a run: clean up after a failed start, and say how the run ended. */
final class RunOutcome {
    private RunOutcome() {}

    /** A run to start into {@code runDir}. */
    interface Start {
        TrainingRun.Summary run() throws IOException;
    }

    /**
     * Starts the run; if it fails before its first checkpoint, the folders this command made for it are removed,
     * since all they hold then is the run's own preparation (tokenizer.json, data/), which would only look like a
     * run. Folders that were there before are never touched.
     */
    static TrainingRun.Summary removingNewFoldersOnFailure(Path runDir, Start start) throws IOException {
        NewFolders made = NewFolders.onTheWayTo(runDir);
        try {
            return start.run();
        } catch (IOException | RuntimeException | Error failure) {
            if (!Files.exists(runDir.resolve("latest"))) {
                try {
                    made.removeWithContents();
                } catch (IOException notRemoved) {
                    failure.addSuppressed(notRemoved); // the failure itself is what the user needs to see
                }
            }
            throw failure;
        }
    }

    /** Reports the finished (or stopped) run; the exit code: 0, or the shell's code for the signal that stopped it. */
    static int report(CommandSpec spec, TrainingRun.Summary s) {
        if (s.stoppedBy() != null) {
            return reportStop(spec, s);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "trained %d steps in %.0f s (%,.0f tokens/s)%n", s.steps(), s.trainingSeconds(),
                s.tokensPerSecond());
        out.printf(Locale.ROOT, "val loss %.4f (best %.4f), perplexity %.2f, %.3f bits per byte%n", s.valLoss(),
                s.bestValLoss(), s.last().perplexity(), s.last().bitsPerByte());
        out.println("checkpoints: " + s.runDir().resolve("latest") + " and " + s.runDir().resolve("best"));
        // An instruction-tuned model answers messages in its chat template; sample would only continue raw text.
        out.println(s.conversations() ? "chat with: ./scratchgpt chat --checkpoint " + s.runDir().resolve("best")
                : "sample with: ./scratchgpt sample --checkpoint " + s.runDir().resolve("best"));
        out.flush();
        return 0;
    }

    /** A run stopped by Ctrl-C or SIGTERM: where it is kept and how to go on; the shell's code for that signal. */
    private static int reportStop(CommandSpec spec, TrainingRun.Summary s) {
        PrintWriter err = spec.commandLine().getErr();
        Path latest = s.runDir().resolve("latest");
        err.printf(Locale.ROOT, "stopped by %s at step %d; %s holds it. Continue with:%n  ./scratchgpt train --resume %s%n",
                s.stoppedBy(), s.steps(), latest, latest);
        err.flush();
        return StopRequest.exitCodeOf(s.stoppedBy());
    }
}
