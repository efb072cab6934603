package org.scratchgpt.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.MemoryEstimate.Options;

/**
 * A way to train a configuration within a memory budget, for {@code scratchgpt plan}. The optimizer must see the
 * same batch as the preset intends (batch_size x gradient_accumulation_steps sequences of full context per step,
 * so the learning rate and schedule still fit), but nothing says how many of those sequences go through the model
 * at once: gradient accumulation adds up the gradients of k micro-batches of B into the gradient of one batch of
 * kB. Activations grow with the micro-batch, the rest does not, so the plan picks the largest micro-batch that
 * fits. When even one sequence does not fit it gives up compute to save memory: activation checkpointing (a
 * third more arithmetic, exact results). bf16 keeps the activations between matrix products in 2 bytes and saves
 * some memory, but it changes the arithmetic: the plan leaves it to the user, and mentions it only where this
 * machine measured it faster ({@code bench.PrecisionSpeed}).
 *
 * @param microBatch sequences per forward pass ({@code batch_size})
 * @param accumulationSteps micro-batches per optimizer step ({@code gradient_accumulation_steps})
 * @param options precision, attention kind, checkpointing and device of the estimate
 * @param estimate the memory this plan needs
 * @param budget the memory available, in bytes
 */
public record MemoryPlan(int microBatch, int accumulationSteps, Options options, MemoryEstimate estimate,
        long budget) {

    public boolean fits() {
        return estimate.total() <= budget;
    }

    /** How many bytes more than the budget the plan needs; 0 when it fits. */
    public double shortfall() {
        return Math.max(0, estimate.total() - budget);
    }

    /**
     * The plan for {@code model} trained with {@code training}'s tokens per step within {@code budget} bytes,
     * starting from {@code start}'s options. Returns a plan that fits if any does; otherwise the smallest one
     * tried (one sequence per micro-batch, every saving on), whose {@link #shortfall()} says by how much it misses.
     */
    public static MemoryPlan propose(GptConfig model, TrainingSettings training, long budget, Options start) {
        int sequences = training.batchSize() * training.accumulationSteps();
        MemoryPlan plan = null;
        for (Options options : ladder(start)) {
            for (int microBatch : divisorsDescending(sequences)) {
                plan = new MemoryPlan(microBatch, sequences / microBatch, options,
                        MemoryEstimate.of(model, microBatch, options), budget);
                if (plan.fits()) {
                    return plan;
                }
            }
        }
        return plan;
    }

    /** The options to try, in order: as given, then with checkpointing. */
    static List<Options> ladder(Options start) {
        List<Options> ladder = new ArrayList<>(List.of(start));
        if (!start.checkpointActivations()) {
            ladder.add(start.withCheckpointing());
        }
        return ladder;
    }

    /**
     * Micro-batch sizes that divide the step's sequences exactly, so no sequence is dropped or added: largest first.
     * Each divisor d up to the square root comes with its partner sequences / d, so a step of two billion sequences
     * takes 46,341 trials, not two billion.
     */
    static int[] divisorsDescending(int sequences) {
        return IntStream.rangeClosed(1, (int) Math.sqrt(sequences)).filter(d -> sequences % d == 0)
                .flatMap(d -> IntStream.of(d, sequences / d)).distinct().boxed()
                .sorted(java.util.Comparator.reverseOrder()).mapToInt(Integer::intValue).toArray();
    }
}
