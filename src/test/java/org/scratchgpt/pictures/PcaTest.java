package org.scratchgpt.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PCA against answers known by construction: points spread 3 along one direction, 1 along a second, 0.1 along a
 * third, all turned by a fixed rotation; PCA must find those directions and variances.
 */
class PcaTest {

    @Test
    void findsTheDirectionsOfLargestSpread() {
        double s = Math.sqrt(0.5);
        double[][] axes = {{s, s, 0}, {-s, s, 0}, {0, 0, 1}}; // orthonormal: the directions the points spread along
        double[] spread = {3, 1, 0.1};
        Random random = new Random(7);
        int n = 4000;
        double[][] points = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double along = random.nextGaussian() * spread[a];
                for (int j = 0; j < 3; j++) {
                    points[i][j] += along * axes[a][j] + 5; // + 5: PCA must centre the points first
                }
            }
        }

        Pca.Projection projection = Pca.project(points);

        for (int c = 0; c < 2; c++) {
            double alignment = Math.abs(dot(projection.components()[c], axes[c]));
            assertEquals(1.0, alignment, 1e-3, "component " + c + " lies along direction " + c);
            assertEquals(spread[c] * spread[c], projection.variances()[c], 0.06 * spread[c] * spread[c],
                    "variance along component " + c);
        }
        double[] first = projection.points()[0];
        double[] centred = new double[3];
        double[] mean = mean(points);
        for (int j = 0; j < 3; j++) {
            centred[j] = points[0][j] - mean[j];
        }
        assertEquals(dot(centred, projection.components()[0]), first[0], 1e-9, "a point's coordinate is its projection");
        assertEquals(dot(centred, projection.components()[1]), first[1], 1e-9);
    }

    private static double[] mean(double[][] points) {
        double[] mean = new double[points[0].length];
        for (double[] point : points) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += point[j] / points.length;
            }
        }
        return mean;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
