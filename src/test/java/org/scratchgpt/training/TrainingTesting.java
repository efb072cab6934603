package org.scratchgpt.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.optim.Gradients;
import org.scratchgpt.optim.LanguageModelLoss;

/** Helpers shared by the training tests: hand-made parameters, hand-set gradients, a tiny GPT, error measures. */
public final class TrainingTesting {
    private TrainingTesting() {}

    /** The GPT of the brief: 2 layers, width 32 in 4 heads, vocabulary 50, context 16, no dropout. */
    public static GptConfig tinyGpt() {
        return new GptConfig(50, 16, 2, 4, 32, 0.0, true, PositionalEncoding.LEARNED, true);
    }

    /** A learnable parameter holding {@code values}, as a model's would: on {@code manager}, requiring gradients. */
    public static Parameter parameter(NDManager manager, String name, double[] values, Shape shape) {
        NDArray array = manager.create(toFloats(values), shape);
        array.setRequiresGradient(true);
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape).optArray(array).build();
    }

    public static ParameterList listOf(Parameter... parameters) {
        ParameterList list = new ParameterList();
        for (Parameter parameter : parameters) {
            list.add(parameter.getName(), parameter);
        }
        return list;
    }

    /**
     * Makes {@code weight}'s gradient exactly {@code gradient}: zero it, then backward through sum(weight * G),
     * whose gradient with respect to weight is G.
     */
    public static void setGradient(NDArray weight, double[] gradient) {
        Gradients.zero(weight);
        try (NDManager scratch = weight.getManager().newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray constant = scratch.create(toFloats(gradient), weight.getShape());
            collector.backward(constant.mul(weight).sum());
        }
    }

    public static float[] gradientOf(NDArray weight) {
        try (NDArray gradient = weight.getGradient()) {
            return gradient.toFloatArray();
        }
    }

    /** Every parameter's gradient, by the parameter's full name. */
    public static Map<String, float[]> gradients(Block block) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        for (Pair<String, Parameter> named : block.getParameters()) {
            gradients.put(named.getKey(), gradientOf(named.getValue().getArray()));
        }
        return gradients;
    }

    /** One forward and backward pass of {@code gpt} with the language-model loss times {@code lossScale}. */
    public static void backward(Gpt gpt, NDManager step, NDArray ids, NDArray targets, double lossScale) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = gpt.forward(new ParameterStore(step, false), new NDList(ids), true)
                    .singletonOrThrow();                                                   // (B, T, V)
            NDArray loss = new LanguageModelLoss().crossEntropy(logits, targets);         // ()
            collector.backward(loss.mul((float) lossScale));
        }
    }

    /** Token ids in [0, vocab) from a fixed seed, shaped (rows, columns). */
    public static int[][] fixedIds(int rows, int columns, int vocab, long seed) {
        java.util.Random random = new java.util.Random(seed);
        int[][] ids = new int[rows][columns];
        for (int[] row : ids) {
            for (int t = 0; t < columns; t++) {
                row[t] = random.nextInt(vocab);
            }
        }
        return ids;
    }

    /** Values in [-1, 1) from a fixed seed, each exactly representable in float32. */
    public static double[] fixedValues(int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    public static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** max |actual - expected| / max |expected|: the error relative to the reference's scale. */
    public static double relativeError(float[] actual, double[] expected) {
        return org.scratchgpt.Numerics.relativeError(actual, expected);
    }

    public static double[] toDoubles(float[] floats) {
        double[] values = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }
}
