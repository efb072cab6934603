package org.scratchgpt.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.training.TrainingTesting.fixedValues;
import static org.scratchgpt.training.TrainingTesting.gradientOf;
import static org.scratchgpt.training.TrainingTesting.listOf;
import static org.scratchgpt.training.TrainingTesting.parameter;
import static org.scratchgpt.training.TrainingTesting.relativeError;
import static org.scratchgpt.training.TrainingTesting.setGradient;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class GradientClippingTest {

    private static final double[] MATRIX_GRADIENT = fixedValues(12, 1);
    private static final double[] VECTOR_GRADIENT = fixedValues(4, 2);

    /** torch's clip_grad_norm_ in doubles: the norm over both tensors, then the common factor. Bound: 1e-6. */
    @Test
    void clipsAllGradientsByOneGlobalFactor() {
        double norm = Math.sqrt(sumOfSquares(MATRIX_GRADIENT) + sumOfSquares(VECTOR_GRADIENT));
        double maxNorm = norm / 3;
        double scale = maxNorm / (norm + 1e-6);
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter matrix = parameter(manager, "matrix", fixedValues(12, 3), new Shape(3, 4));
            Parameter vector = parameter(manager, "vector", fixedValues(4, 4), new Shape(4));
            setGradient(matrix.getArray(), MATRIX_GRADIENT);
            setGradient(vector.getArray(), VECTOR_GRADIENT);

            double reported = GradientClipping.clipToGlobalNorm(listOf(matrix, vector), maxNorm);

            double normError = Math.abs(reported - norm) / norm;
            double matrixError = relativeError(gradientOf(matrix.getArray()), times(scale, MATRIX_GRADIENT));
            double vectorError = relativeError(gradientOf(vector.getArray()), times(scale, VECTOR_GRADIENT));
            System.out.printf("clipping vs float64: norm %.3g, matrix %.3g, vector %.3g relative error%n",
                    normError, matrixError, vectorError);
            assertTrue(normError < 1e-6, "norm error " + normError);
            assertTrue(matrixError < 1e-6, "matrix error " + matrixError);
            assertTrue(vectorError < 1e-6, "vector error " + vectorError);
            assertEquals(maxNorm, GradientClipping.globalNorm(listOf(matrix, vector)), 2e-6 * maxNorm,
                    "after clipping the norm is maxNorm, less the 1e-6 torch adds");
        }
    }

    @Test
    void leavesGradientsBelowTheLimitUntouched() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter matrix = parameter(manager, "matrix", fixedValues(12, 3), new Shape(3, 4));
            setGradient(matrix.getArray(), MATRIX_GRADIENT);
            float[] before = gradientOf(matrix.getArray());
            double norm = GradientClipping.clipToGlobalNorm(listOf(matrix), 100);
            assertArrayEquals(before, gradientOf(matrix.getArray()), 0f);
            assertEquals(Math.sqrt(sumOfSquares(MATRIX_GRADIENT)), norm, 1e-6 * norm);
        }
    }

    @Test
    void aThousandClipsLeaveNoArraysBehind() {
        try (NDManager root = NDManager.newBaseManager(); NDManager model = root.newSubManager()) {
            Parameter matrix = parameter(model, "matrix", fixedValues(12, 3), new Shape(3, 4));
            Parameter vector = parameter(model, "vector", fixedValues(4, 4), new Shape(4));
            setGradient(matrix.getArray(), MATRIX_GRADIENT);
            setGradient(vector.getArray(), VECTOR_GRADIENT);
            ParameterList parameters = listOf(matrix, vector);
            int before = model.getManagedArrays().size();
            for (int i = 0; i < 1000; i++) {
                // scales at every call: the 1e-6 keeps the factor just below 1
                GradientClipping.clipToGlobalNorm(parameters, 0.5);
            }
            assertEquals(before, model.getManagedArrays().size());
        }
    }

    @Test
    void rejectsALimitThatIsNotPositive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterList parameters = listOf(parameter(manager, "vector", fixedValues(4, 4), new Shape(4)));
            UserError error = assertThrows(UserError.class, () -> GradientClipping.clipToGlobalNorm(parameters, 0));
            assertTrue(error.getMessage().contains("grad_clip 0.0 must be a number above 0"), error.getMessage());
            assertThrows(UserError.class, () -> GradientClipping.clipToGlobalNorm(parameters, Double.NaN));
        }
    }

    private static double sumOfSquares(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value * value;
        }
        return sum;
    }

    private static double[] times(double factor, double[] values) {
        double[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            result[i] *= factor;
        }
        return result;
    }
}
