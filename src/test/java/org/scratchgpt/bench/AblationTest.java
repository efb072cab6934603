package org.scratchgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.PrecisionSpeed;

/** The ablation's later rows build on bf16 only where bf16 was measured faster than float32. */
class AblationTest {
    private final TrainingSettings training = TrainingSettings.preset("baby");

    @Test
    void theRowsAfterBf16BuildOnItWhereItWasMeasuredFaster() {
        List<Ablation.Variant> rows = Ablation.variants(training, new PrecisionSpeed(Precision.BF16, 3.9));
        assertEquals(List.of("float32, attention written out", "+ fused attention", "+ bf16", "+ activation checkpointing",
                "+ accumulation (half the micro-batch, twice the micro-batches)"), rows.stream().map(Ablation.Variant::added).toList());
        assertEquals(Precision.BF16, rows.get(3).compute().precision());
        assertEquals(Precision.BF16, rows.get(4).compute().precision());
    }

    @Test
    void whereBf16WasMeasuredSlowerTheyBuildOnFusedFloat32AndSaySo() {
        List<Ablation.Variant> rows = Ablation.variants(training, new PrecisionSpeed(Precision.BF16, 0.52));
        assertEquals(Precision.BF16, rows.get(2).compute().precision(), "bf16's own row is still timed");
        for (Ablation.Variant later : rows.subList(3, rows.size())) {
            assertEquals(Precision.FP32, later.compute().precision(), later.added());
            assertTrue(later.compute().fusedAttention(), later.added());
            assertTrue(later.added().endsWith("(on fused float32: bf16 is not faster here)"), later.added());
        }
    }
}
