package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Precision;
import org.scratchgpt.plan.PrecisionSpeed;
import picocli.CommandLine;

/** {@code scratchgpt plan} through the real command line: its table, its proposal, its errors. */
class PlanCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void printsTheTableAndACommandThatFits() {
        assertEquals(0, run("plan", "--preset", "shakespeare-char", "--memory", "16GB"), err.toString());
        String text = out.toString();
        for (String row : new String[] {"| parameters (float32) ", "| gradients (float32) ", "| optimizer ",
            "| activations (micro-batch of 64 sequences) ", "| runtime (JVM, libtorch) ", "| total ", "| budget "}) {
            assertTrue(text.contains(row), row + " in\n" + text);
        }
        assertTrue(text.contains("|    16.0 GB |"), text);
        assertTrue(text.contains("10.7M parameters"), text);
        assertTrue(text.contains("  ./scratchgpt train --preset shakespeare-char --set batch_size=64"
                + " --set gradient_accumulation_steps=1\n"), text);
    }

    /** The largest width counts without overflow: 4 layers of 12 C² are 2.2e20 weights (longs made 90,194M of them). */
    @Test
    void theLargestSizesAreCountedWithoutOverflow() {
        assertEquals(1, run("plan", "--memory", "16GB", "--set", "n_embd=2147483647", "--set", "n_head=1"),
                out.toString());
        java.util.regex.Matcher parameters = java.util.regex.Pattern.compile("([0-9.]+)M parameters")
                .matcher(out.toString());
        assertTrue(parameters.find(), out.toString());
        double c = 2147483647.0;
        assertEquals(48 * c * c, Double.parseDouble(parameters.group(1)) * 1e6, 1e-6 * 48 * c * c, out.toString());
        // 16 bytes a weight (itself, its gradient, AdamW's two moments): 3.5e21 bytes, 3.5e12 GB, before activations.
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("\\| total +\\| +([0-9.]+) GB \\|")
                .matcher(out.toString());
        assertTrue(total.find(), out.toString());
        assertTrue(Double.parseDouble(total.group(1)) > 16 * 48 * c * c / 1e9, out.toString());
        assertTrue(err.toString().startsWith("error: nothing fits in 16.0 GB"), err.toString());

    }

    @Test
    void aStepOfMoreSequencesThanAnIntCountsIsRefused() {
        CliAssertions.assertOneLineError(run("plan", "--memory", "16GB", "--set", "batch_size=2147483647", "--set",
                "gradient_accumulation_steps=2"), err.toString(), "batch_size 2147483647 x gradient_accumulation_steps"
                + " 2 is more than 2147483647 sequences per step", "lower one of them");
    }

    @Test
    void aSmallerBudgetAccumulatesAndKeepsTheOtherOverrides() {
        assertEquals(0, run("plan", "--preset", "shakespeare-char", "--memory", "1.5GiB", "--set", "dropout=0",
                "--set", "batch_size=32", "--set", "gradient_accumulation_steps=2"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("each step: 64 sequences of 256 tokens"), text);
        assertTrue(text.matches("(?s).*\\./scratchgpt train --preset shakespeare-char --set dropout=0"
                + " --set batch_size=(\\d+) --set gradient_accumulation_steps=(\\d+)\n.*"), text);
        assertTrue(text.contains("batch_size=16 --set gradient_accumulation_steps=4"), text);
    }

    @Test
    void aGpuPlanCanNeedCheckpointing() {
        assertEquals(0, run("plan", "--preset", "gpt2-124m", "--memory", "4GB", "--device", "cuda"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("--device cuda --set batch_size=1 --set gradient_accumulation_steps=480"
                + " --checkpoint-activations\n"), text);
        assertTrue(text.contains("| runtime (CUDA context, allocator) "), text);
        assertTrue(text.contains("note: activation checkpointing keeps only each block's input"), text);
        assertTrue(text.contains("derived, not yet measured"), text);
    }

    @Test
    void bf16IsMentionedWithTheRatioMeasuredOnThisCpu() {
        assertEquals(0, run("plan", "--preset", "shakespeare-char", "--memory", "16GB"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("./scratchgpt train --preset shakespeare-char --set batch_size=64"
                + " --set gradient_accumulation_steps=1\n"), "the plan itself stays float32: " + text);
        assertTrue(text.matches("(?s).*\nnote: bf16 multiplies at [0-9.]+x float32 here \\(measured\\)[,:] .*"), text);
        assertTrue(!text.contains("AVX") && !text.contains("/proc/cpuinfo"), "no CPU flags: " + text);
    }

    @Test
    void bf16IsProposedForSpeedOnlyWhereItWasMeasuredFaster() {
        String faster = PlanCommand.bf16Note(new PrecisionSpeed(Precision.BF16, 3.9));
        assertEquals("bf16 multiplies at 3.9x float32 here (measured): add --precision bf16 for speed, at about the"
                + " same memory", faster);
        String slower = PlanCommand.bf16Note(new PrecisionSpeed(Precision.BF16, 0.52));
        assertEquals("bf16 multiplies at 0.52x float32 here (measured), so the plan keeps float32", slower);
        assertTrue(!PlanCommand.bf16Note(new PrecisionSpeed(Precision.BF16, 1.05)).contains("--precision bf16"),
                "not proposed when no faster than float32");
    }

    private void assertOneLineError(String expected, String... args) {
        assertEquals(1, run(args), out.toString());
        String message = err.toString().strip();
        assertTrue(message.contains(expected), message);
        assertEquals(1, message.lines().count(), "one line, no stack trace: " + message);
        err.getBuffer().setLength(0);
    }

    @Test
    void whenNothingFitsItSaysByHowMuch() {
        assertOneLineError("nothing fits in 2.0 GB: even a micro-batch of 1 sequence, with activation checkpointing"
                + " and float32, needs ", "plan", "--preset", "gpt2-124m", "--memory", "2GB");
        assertTrue(out.toString().contains("|     2.0 GB |"), "the table of the smallest plan comes first: " + out);
    }

    @Test
    void badInputIsOneClearLine() {
        assertOneLineError("memory size 'lots' is not a size: write a number and a unit, e.g. 16GB",
                "plan", "--memory", "lots");
        assertOneLineError("memory size '16' has no unit", "plan", "--memory", "16");
        assertOneLineError("unknown device 'tpu': plan for cpu or cuda", "plan", "--memory", "1GB", "--device", "tpu");
        assertOneLineError("unknown field 'layers'", "plan", "--memory", "1GB", "--set", "layers=2");
        assertOneLineError("unknown preset 'huge'", "plan", "--memory", "1GB", "--preset", "huge");
        assertOneLineError("is not divisible by n_head", "plan", "--memory", "1GB", "--set", "n_head=5");
    }

    @Test
    void helpAndAMissingBudget() {
        assertEquals(0, run("plan", "--help"), err.toString());
        assertTrue(out.toString().startsWith("Usage: scratchgpt plan"), out.toString());
        assertTrue(out.toString().contains("--memory=SIZE"), out.toString());
        assertEquals(2, run("plan"));
        assertTrue(err.toString().contains("Missing required option: '--memory=SIZE'"), err.toString());
    }
}
