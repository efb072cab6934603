package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** Small helpers shared by the model tests: run a block, set a weight, compare against a float64 reference. */
final class ModelTesting {
    private ModelTesting() {}

    /** A tiny GPT that runs in milliseconds: 2 layers, 2 heads of 4 channels, 11 tokens, context 8. */
    static GptConfig tiny(PositionalEncoding positions) {
        return new GptConfig(11, 8, 2, 2, 8, 0.0, true, positions, true);
    }

    static void initialize(Block block, NDManager manager, Shape... inputShapes) {
        block.initialize(manager, DataType.FLOAT32, inputShapes);
    }

    static NDArray forward(Block block, NDManager manager, NDArray input, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), training).singletonOrThrow();
    }

    /** The parameter whose full name (as in {@code getParameters()}) ends with {@code suffix}. */
    static Parameter parameter(Block block, String suffix) {
        return block.getParameters().stream()
                .filter(pair -> pair.getKey().endsWith(suffix))
                .map(pair -> pair.getValue())
                .reduce((a, b) -> {
                    throw new IllegalArgumentException("more than one parameter ends with " + suffix);
                })
                .orElseThrow(() -> new IllegalArgumentException("no parameter ends with " + suffix));
    }

    static void set(Parameter parameter, double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        parameter.getArray().set(floats);
    }

    /** Values in [-1, 1) from a fixed seed, so that a test's "fixed weights" are reproducible. */
    static double[] fixedValues(int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1); // representable exactly in float32
        }
        return values;
    }

    static NDArray create(NDManager manager, double[] values, Shape shape) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return manager.create(floats, shape);
    }

    /** max |actual - expected| / max |expected|: the error relative to the reference's scale. */
    static double relativeError(float[] actual, double[] expected) {
        return org.scratchgpt.Numerics.relativeError(actual, expected);
    }

    static double maxAbsDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
