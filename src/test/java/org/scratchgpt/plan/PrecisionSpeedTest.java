package org.scratchgpt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Precision;

/** The advice follows the measured ratio, whatever the CPU's flags; and the measurement is short. */
class PrecisionSpeedTest {

    @Test
    void aPrecisionSlowerThanFloat32GetsAWarningThatSaysTheMeasuredRatio() {
        assertEquals(Optional.of("bf16 multiplies at 0.52x float32 here (measured): use --precision fp32"),
                new PrecisionSpeed(Precision.BF16, 0.52).trainingWarning());
        assertEquals(Optional.of("fp16 multiplies at 0.011x float32 here (measured): use --precision fp32"),
                new PrecisionSpeed(Precision.FP16, 0.0113).trainingWarning());
    }

    @Test
    void aFasterPrecisionOrOneTooCloseToCallGetsNoWarning() {
        assertEquals(Optional.empty(), new PrecisionSpeed(Precision.BF16, 4.0).trainingWarning());
        PrecisionSpeed close = new PrecisionSpeed(Precision.BF16, 0.95);
        assertEquals(Optional.empty(), close.trainingWarning());
        assertFalse(close.fasterThanFloat32(), "within the margin neither faster nor slower");
        assertTrue(new PrecisionSpeed(Precision.BF16, 1.2).fasterThanFloat32());
    }

    @Test
    void float32IsItsOwnMeasureAndGetsNoWarning() {
        PrecisionSpeed float32 = PrecisionSpeed.on(Device.cpu(), Precision.FP32);
        assertEquals(1.0, float32.ratio());
        assertEquals(Optional.empty(), float32.trainingWarning());
    }

    @Test
    void theMeasurementIsShortAndRememberedForTheProcess() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.ones(new ai.djl.ndarray.types.Shape(1)); // loads libtorch first: that is not the measurement's time
        }
        long start = System.nanoTime();
        PrecisionSpeed bf16 = PrecisionSpeed.measure(Device.cpu(), Precision.BF16);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s, in %.2f s%n", bf16.measured(), seconds);
        assertTrue(bf16.ratio() > 0 && Double.isFinite(bf16.ratio()), bf16.toString());
        assertTrue(seconds < 2, "measured in " + seconds + " s");

        assertSame(PrecisionSpeed.on(Device.cpu(), Precision.BF16), PrecisionSpeed.on(Device.cpu(), Precision.BF16));
    }
}
