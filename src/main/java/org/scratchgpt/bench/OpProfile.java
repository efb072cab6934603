package org.scratchgpt.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Where one training step's time goes, operator by operator: each op's self time (its own work, not that of the
 * ops it called), grouped by name and input shapes, most first. Both ScratchGPT's profile ({@link StepProfile})
 * and PyTorch's come in this form, so the two print as the same table.
 *
 * @param ops the ops of most self time, most first
 * @param totalMillis the self time of every op of the step (the sum over all, not only those listed)
 */
public record OpProfile(List<Op> ops, double totalMillis) {

    /** One op on inputs of one set of shapes: how often it ran and its summed self time. */
    public record Op(String name, String shapes, int calls, double selfMillis) {}

    /** A table of the ops: name, input shapes, calls, ms and share of the step's total. */
    public void print(PrintWriter out) {
        out.println("| op | input shapes | calls | self ms | share |");
        out.println("|---|---|---:|---:|---:|");
        for (Op op : ops) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f%% |%n", op.name(), op.shapes(), op.calls(),
                    op.selfMillis(), 100 * op.selfMillis() / totalMillis);
        }
    }
}
