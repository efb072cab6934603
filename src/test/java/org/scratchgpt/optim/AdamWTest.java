package org.scratchgpt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.training.TrainingTesting.fixedValues;
import static org.scratchgpt.training.TrainingTesting.gradientOf;
import static org.scratchgpt.training.TrainingTesting.listOf;
import static org.scratchgpt.training.TrainingTesting.parameter;
import static org.scratchgpt.training.TrainingTesting.relativeError;
import static org.scratchgpt.training.TrainingTesting.setGradient;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;
import org.scratchgpt.training.TrainingTesting;

public class AdamWTest {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.95;
    private static final double EPSILON = 1e-8;
    private static final double WEIGHT_DECAY = 0.1;
    /** One learning rate per update, changing every step as a schedule would. */
    private static final float[] RATES = {0.1f, 0.05f, 0.02f, 0.03f, 0.01f};

    /**
     * Five updates of a vector (no decay) and a matrix (decay), each with its own gradients, against torch's
     * AdamW formula evaluated in Java doubles. Bound: relative error 1e-6 (max |error| / max |weight|); float32
     * itself resolves about 6e-8 of a weight of size 1. One coordinate of the vector always gets a zero gradient,
     * where the step is 0 / (0 + eps).
     */
    @Test
    void matchesTorchsFormulaInDoubles() {
        List<Integer> updateNumbers = new ArrayList<>();
        Tracker rates = numUpdate -> {
            updateNumbers.add(numUpdate);
            return RATES[numUpdate - 1];
        };
        AdamW adamW = AdamW.builder().learningRate(rates).betas(BETA1, BETA2).epsilon(EPSILON)
                .weightDecay(WEIGHT_DECAY).build();
        Reference vectorReference = new Reference(fixedValues(3, 1), false);
        Reference matrixReference = new Reference(fixedValues(6, 2), true);
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter vector = parameter(manager, "vector", vectorReference.weight, new Shape(3));
            Parameter matrix = parameter(manager, "matrix", matrixReference.weight, new Shape(2, 3));
            double worst = 0;
            for (int step = 0; step < RATES.length; step++) {
                double[] vectorGradient = fixedValues(3, 10 + step);
                vectorGradient[1] = 0;
                double[] matrixGradient = fixedValues(6, 20 + step);
                updateWith(adamW, vector, vectorGradient);
                updateWith(adamW, matrix, matrixGradient);
                vectorReference.update(vectorGradient, RATES[step]);
                matrixReference.update(matrixGradient, RATES[step]);
                worst = Math.max(worst, relativeError(vector.getArray().toFloatArray(), vectorReference.weight));
                worst = Math.max(worst, relativeError(matrix.getArray().toFloatArray(), matrixReference.weight));
            }
            System.out.printf("AdamW vs float64 torch formula, 5 updates: relative error %.3g%n", worst);
            assertTrue(worst < 1e-6, "relative error " + worst);
        }
        // Each parameter asks the tracker with update numbers 1..5, as DJL's optimizers do.
        assertEquals(List.of(1, 1, 2, 2, 3, 3, 4, 4, 5, 5), updateNumbers);
    }

    private static void updateWith(AdamW adamW, Parameter parameter, double[] gradient) {
        NDArray weight = parameter.getArray();
        try (NDArray grad = weight.getManager().create(TrainingTesting.toFloats(gradient), weight.getShape())) {
            adamW.update(parameter.getId(), weight, grad);
        }
    }

    /** torch.optim.AdamW for one parameter, in doubles. */
    private static final class Reference {
        final double[] weight;
        final double[] mean;
        final double[] meanSquare;
        final boolean decays;
        int t;

        Reference(double[] weight, boolean decays) {
            this.weight = weight.clone();
            this.mean = new double[weight.length];
            this.meanSquare = new double[weight.length];
            this.decays = decays;
        }

        void update(double[] gradient, double lr) {
            t++;
            for (int i = 0; i < weight.length; i++) {
                if (decays) {
                    weight[i] *= 1 - lr * WEIGHT_DECAY;
                }
                mean[i] = BETA1 * mean[i] + (1 - BETA1) * gradient[i];
                meanSquare[i] = BETA2 * meanSquare[i] + (1 - BETA2) * gradient[i] * gradient[i];
                double meanHat = mean[i] / (1 - Math.pow(BETA1, t));
                double meanSquareHat = meanSquare[i] / (1 - Math.pow(BETA2, t));
                weight[i] -= lr * meanHat / (Math.sqrt(meanSquareHat) + EPSILON);
            }
        }
    }

    @Test
    void decaysMatricesButNotVectors() {
        float lr = 0.5f;
        AdamW adamW = AdamW.builder().learningRate(Tracker.fixed(lr)).weightDecay(0.2).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] start = fixedValues(6, 3);
            Parameter vector = parameter(manager, "vector", start, new Shape(6));
            Parameter matrix = parameter(manager, "matrix", start, new Shape(3, 2));
            setGradient(vector.getArray(), new double[6]); // zero gradients: only the decay can move a weight
            setGradient(matrix.getArray(), new double[6]);
            adamW.step(listOf(vector, matrix));

            float[] expectedMatrix = TrainingTesting.toFloats(start);
            for (int i = 0; i < expectedMatrix.length; i++) {
                expectedMatrix[i] *= (float) (1 - lr * 0.2);
            }
            assertArrayEquals(TrainingTesting.toFloats(start), vector.getArray().toFloatArray(), 0f);
            assertArrayEquals(expectedMatrix, matrix.getArray().toFloatArray(), 0f);
        }
    }

    /**
     * DJL's GradientCollector adds each backward pass to the gradient already there; the optimizer step uses the
     * sum and zeroes it. Two backward passes of G then one step must equal one step with 2G, and leave zeros.
     */
    @Test
    void stepUsesTheAccumulatedGradientThenZeroesIt() {
        double[] start = fixedValues(6, 4);
        double[] gradient = fixedValues(6, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter accumulated = parameter(manager, "w", start, new Shape(2, 3));
            setGradient(accumulated.getArray(), gradient);
            addGradient(accumulated.getArray(), gradient); // a second backward pass, in a second collector
            assertArrayEquals(TrainingTesting.toFloats(times(2, gradient)), gradientOf(accumulated.getArray()), 0f);
            AdamW.builder().learningRate(Tracker.fixed(0.01f)).build().step(listOf(accumulated));

            Parameter direct = parameter(manager, "w", start, new Shape(2, 3));
            setGradient(direct.getArray(), times(2, gradient));
            AdamW.builder().learningRate(Tracker.fixed(0.01f)).build().step(listOf(direct));

            assertArrayEquals(direct.getArray().toFloatArray(), accumulated.getArray().toFloatArray(), 0f);
            assertArrayEquals(new float[6], gradientOf(accumulated.getArray()), 0f);
        }
    }

    private static void addGradient(NDArray weight, double[] gradient) {
        try (NDManager scratch = weight.getManager().newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray constant = scratch.create(TrainingTesting.toFloats(gradient), weight.getShape());
            collector.backward(constant.mul(weight).sum());
        }
    }

    private static double[] times(double factor, double[] values) {
        double[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            result[i] *= factor;
        }
        return result;
    }

    /**
     * The moments live on the weight's manager and every temporary is closed: after the first update (which
     * creates the moments) a thousand more leave the number of arrays on the weight's and the gradient's managers
     * unchanged, whether called as DJL's Trainer does (update) or through step.
     */
    @Test
    void aThousandUpdatesLeaveNoArraysBehind() {
        AdamW adamW = AdamW.builder().build();
        try (NDManager root = NDManager.newBaseManager();
             NDManager model = root.newSubManager();
             NDManager gradients = root.newSubManager()) {
            Parameter matrix = parameter(model, "matrix", fixedValues(6, 6), new Shape(2, 3));
            Parameter vector = parameter(model, "vector", fixedValues(3, 7), new Shape(3));
            NDArray matrixGrad = gradients.create(TrainingTesting.toFloats(fixedValues(6, 8)), new Shape(2, 3));
            NDArray vectorGrad = gradients.create(TrainingTesting.toFloats(fixedValues(3, 9)), new Shape(3));
            setGradient(matrix.getArray(), fixedValues(6, 10));
            setGradient(vector.getArray(), fixedValues(3, 11));
            adamW.update(matrix.getId(), matrix.getArray(), matrixGrad);
            adamW.update(vector.getId(), vector.getArray(), vectorGrad);
            int modelArrays = model.getManagedArrays().size();
            int gradientArrays = gradients.getManagedArrays().size();

            for (int i = 0; i < 500; i++) {
                adamW.update(matrix.getId(), matrix.getArray(), matrixGrad);
                adamW.update(vector.getId(), vector.getArray(), vectorGrad);
                adamW.step(listOf(matrix, vector));
            }
            assertEquals(modelArrays, model.getManagedArrays().size(), "arrays left on the model's manager");
            assertEquals(gradientArrays, gradients.getManagedArrays().size(), "arrays left on the gradients' manager");
        }
    }

    @Test
    void savedStateRoundTripsIntoAFreshOptimizer() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter matrix = parameter(manager, "matrix", fixedValues(6, 12), new Shape(2, 3));
            Parameter vector = parameter(manager, "vector", fixedValues(3, 13), new Shape(3));
            AdamW first = AdamW.builder().learningRate(Tracker.fixed(0.01f)).build();
            for (int i = 0; i < 3; i++) {
                setGradient(matrix.getArray(), fixedValues(6, 30 + i));
                setGradient(vector.getArray(), fixedValues(3, 40 + i));
                first.step(listOf(matrix, vector));
            }
            byte[] saved = save(first, listOf(matrix, vector));
            AdamW second = AdamW.builder().learningRate(Tracker.fixed(0.01f)).build();
            second.loadState(in(saved), listOf(matrix, vector));
            assertArrayEquals(saved, save(second, listOf(matrix, vector)));
        }
    }

    @Test
    void loadingRejectsOtherFilesAndOtherModels() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter matrix = parameter(manager, "matrix", fixedValues(6, 14), new Shape(2, 3));
            Parameter other = parameter(manager, "other", fixedValues(6, 14), new Shape(3, 2));
            Parameter reshaped = parameter(manager, "matrix", fixedValues(6, 14), new Shape(3, 2));
            AdamW adamW = AdamW.builder().build();
            setGradient(matrix.getArray(), fixedValues(6, 15));
            adamW.step(listOf(matrix));
            byte[] saved = save(adamW, listOf(matrix));

            UserError renamed = assertThrows(UserError.class, () -> adamW.loadState(in(saved), listOf(other)));
            assertTrue(renamed.getMessage().contains("parameter matrix, which this model lacks"), renamed.getMessage());
            UserError wrongShape = assertThrows(UserError.class, () -> adamW.loadState(in(saved), listOf(reshaped)));
            assertTrue(wrongShape.getMessage().contains("shaped (2, 3) but the parameter is (3, 2)"),
                    wrongShape.getMessage());
            UserError missing = assertThrows(UserError.class,
                    () -> adamW.loadState(in(saved), listOf(matrix, other)));
            assertTrue(missing.getMessage().contains("no moments for parameter other"), missing.getMessage());

            ByteArrayOutputStream notState = new ByteArrayOutputStream();
            new DataOutputStream(notState).writeUTF("something else");
            UserError wrongFile = assertThrows(UserError.class,
                    () -> adamW.loadState(in(notState.toByteArray()), listOf(matrix)));
            assertTrue(wrongFile.getMessage().contains("not 'ScratchGPT AdamW state"), wrongFile.getMessage());
        }
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThrows(UserError.class, () -> AdamW.builder().betas(1.0, 0.95).build());
        assertThrows(UserError.class, () -> AdamW.builder().betas(0.9, -0.1).build());
        assertThrows(UserError.class, () -> AdamW.builder().betas(Double.NaN, 0.95).build());
        assertThrows(UserError.class, () -> AdamW.builder().epsilon(-1e-8).build());
        assertThrows(UserError.class, () -> AdamW.builder().weightDecay(-0.1).build());
        assertThrows(UserError.class, () -> AdamW.builder().learningRate(null).build());
        AdamW nanRate = AdamW.builder().learningRate(Tracker.fixed(Float.NaN)).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter vector = parameter(manager, "vector", fixedValues(3, 16), new Shape(3));
            UserError error = assertThrows(UserError.class, () -> nanRate.step(listOf(vector)));
            assertTrue(error.getMessage().contains("learning rate for update 1 is NaN"), error.getMessage());
        }
        assertFalse(WeightDecayRule.appliesTo(new Shape(5)));
        assertTrue(WeightDecayRule.appliesTo(new Shape(5, 4)));
    }

    public static byte[] save(AdamW adamW, ai.djl.nn.ParameterList parameters) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        adamW.saveState(new DataOutputStream(bytes), parameters);
        return bytes.toByteArray();
    }

    public static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
