package org.scratchgpt.pictures;

/** Models hand out floats; charts and PCA work in doubles. */
final class Widened {
    private Widened() {}

    static double[][] of(float[][] rows) {
        double[][] wide = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            wide[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                wide[i][j] = rows[i][j];
            }
        }
        return wide;
    }
}
