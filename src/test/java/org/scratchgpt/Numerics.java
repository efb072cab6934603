package org.scratchgpt;

/** How the tests measure a float32 result against a float64 reference. */
public final class Numerics {
    private Numerics() {}

    /** max |actual - expected| / max |expected|: the error relative to the reference's scale. */
    public static double relativeError(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " != " + expected.length);
        }
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return worst / scale;
    }
}
