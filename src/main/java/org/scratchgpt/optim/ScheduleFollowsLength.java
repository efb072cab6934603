package org.scratchgpt.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchgpt.config.ConfigFields;

/**
 * A run made shorter or longer keeps its schedule's shape: when {@code max_iters} is given and
 * {@code lr_decay_iters} is not, the cosine decay ends at the new {@code max_iters}, as it ended at the old one, and
 * the warmup shrinks with it (also when {@code lr_decay_iters} alone is given). Without this, {@code train --set max_iters=200} on the baby preset (whose decay runs to
 * 2000) ended at a learning rate of 9.94e-4, barely below the peak, instead of near {@code min_lr}.
 *
 * <p>The decay follows only a schedule that followed its length ({@code lr_decay_iters} = {@code max_iters}, as in
 * every preset and finetune's defaults); one whose decay was set apart is left as it was set. A {@code lr_decay_iters}
 * or {@code warmup_iters} given (with {@code --set} or in a {@code --config} file) is always kept.
 *
 * <p>A resumed run ({@code stepsDone} above 0) follows the same rule, with one exception: a run already past its
 * decay (a finished run extended) stays at {@code min_lr} instead of climbing back up the new cosine. A resumed run
 * whose {@code max_iters} does not change, changes nothing: it still equals the uninterrupted run.
 */
public final class ScheduleFollowsLength {
    private ScheduleFollowsLength() {}

    /**
     * {@code overrides} of the training fields of a run with settings {@code base} that has done {@code stepsDone}
     * steps, with {@code lr_decay_iters} added where it follows a new {@code max_iters}, and {@code warmup_iters}
     * where the decay's end moved and the warmup was not given.
     */
    public static Map<String, String> fields(TrainingSettings base, Map<String, String> overrides, long stepsDone) {
        Map<String, String> fields = new LinkedHashMap<>(overrides);
        if (followsLength(base, overrides, stepsDone)) {
            // read as everywhere, so a mistyped number fails the same way
            fields.put("lr_decay_iters", Integer.toString(ConfigFields.wholeNumber(overrides, "max_iters")));
        }
        if (fields.containsKey("lr_decay_iters") && !overrides.containsKey("warmup_iters")) {
            int decayIters = ConfigFields.wholeNumber(fields, "lr_decay_iters");
            if (decayIters >= 1 && decayIters != base.decayIters()) {
                fields.put("warmup_iters", Integer.toString(warmup(base, decayIters)));
            }
        }
        return fields;
    }

    /** Whether the decay's end moves to the {@code max_iters} given: see the class's description. */
    private static boolean followsLength(TrainingSettings base, Map<String, String> overrides, long stepsDone) {
        return overrides.containsKey("max_iters") && !overrides.containsKey("lr_decay_iters")
                && base.decayIters() == base.maxIters() && stepsDone < base.decayIters();
    }

    /**
     * The base's warmup, as the same fraction of a shorter decay (100 of 2000 steps is 10 of 200), never longer than
     * it was, and below the decay's end, where the cosine must have room to run.
     */
    static int warmup(TrainingSettings base, int decayIters) {
        long scaled = base.decayIters() == 0 ? 0 : (long) base.warmupIters() * decayIters / base.decayIters();
        return (int) Math.min(Math.min(base.warmupIters(), scaled), decayIters - 1L);
    }
}
