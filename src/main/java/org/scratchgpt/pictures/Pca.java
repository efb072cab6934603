package org.scratchgpt.pictures;

/**
 * Principal component analysis down to 2 dimensions, written out: centre the points, form their covariance
 * matrix, and find its two leading eigenvectors by power iteration (multiply a vector by the matrix until its
 * direction stops changing; then remove that direction and do it again). Projecting on them keeps as much of the
 * points' spread as any flat picture can, so 768-wide token embeddings can be looked at.
 */
public final class Pca {
    private Pca() {}

    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-10;

    /**
     * The points projected on their first two principal components.
     *
     * @param components the two directions, each a unit vector of d numbers, the most spread out first
     * @param variances the points' variance along each direction
     * @param points every point's two coordinates, (n, 2)
     */
    public record Projection(double[][] components, double[] variances, double[][] points) {}

    /** rows: n points of d numbers each (n >= 2, d >= 2), e.g. float embeddings widened to double. */
    public static Projection project(double[][] rows) {
        int n = rows.length;
        if (n < 2 || rows[0].length < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 points of at least 2 numbers, got " + n + " points");
        }
        double[][] centred = centred(rows);
        double[][] covariance = covariance(centred);              // (d, d)
        double[][] components = new double[2][];
        double[] variances = new double[2];
        for (int c = 0; c < 2; c++) {
            components[c] = leadingEigenvector(covariance, c);
            variances[c] = rayleigh(covariance, components[c]);
            deflate(covariance, components[c], variances[c]);     // what is left has the next direction on top
        }
        double[][] points = new double[n][2];
        for (int i = 0; i < n; i++) {
            points[i][0] = dot(centred[i], components[0]);
            points[i][1] = dot(centred[i], components[1]);
        }
        return new Projection(components, variances, points);
    }

    /** Float rows, as a model's weights come. */
    public static Projection project(float[][] rows) {
        double[][] wide = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            wide[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                wide[i][j] = rows[i][j];
            }
        }
        return project(wide);
    }

    private static double[][] centred(double[][] rows) {
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / rows.length;
            }
        }
        double[][] centred = new double[rows.length][d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = rows[i][j] - mean[j];
            }
        }
        return centred;
    }

    /** X^T X / (n - 1) of the centred points X (n, d): (d, d). */
    private static double[][] covariance(double[][] x) {
        int d = x[0].length;
        double[][] c = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    c[a][b] += row[a] * row[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                c[a][b] /= x.length - 1;
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    /**
     * Power iteration: v <- C v / |C v| converges to the eigenvector of the largest eigenvalue (C is symmetric
     * and positive semi-definite, so that eigenvalue is also the largest in size). The start differs per
     * component so that it is not orthogonal to the answer by construction.
     */
    private static double[] leadingEigenvector(double[][] c, int component) {
        int d = c.length;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = 1.0 + 0.1 * ((j * 7 + component * 3) % 11); // fixed, not random: the same picture every time
        }
        normalise(v);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] next = times(c, v);
            if (norm(next) == 0) {
                return v; // no spread left in any direction: any unit vector will do
            }
            normalise(next);
            double change = 1 - Math.abs(dot(next, v));
            v = next;
            if (change < TOLERANCE) {
                break;
            }
        }
        return v;
    }

    /** v^T C v for a unit vector v: the variance along v. */
    private static double rayleigh(double[][] c, double[] v) {
        return dot(v, times(c, v));
    }

    /** C <- C - lambda v v^T: removes the found direction, so the next power iteration finds the next one. */
    private static void deflate(double[][] c, double[] v, double lambda) {
        for (int a = 0; a < c.length; a++) {
            for (int b = 0; b < c.length; b++) {
                c[a][b] -= lambda * v[a] * v[b];
            }
        }
    }

    private static double[] times(double[][] c, double[] v) {
        double[] result = new double[v.length];
        for (int a = 0; a < c.length; a++) {
            result[a] = dot(c[a], v);
        }
        return result;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static void normalise(double[] v) {
        double length = norm(v);
        for (int i = 0; i < v.length; i++) {
            v[i] /= length;
        }
    }
}
