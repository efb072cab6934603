package org.scratchgpt.model;

import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * GPT-2's starting weights: every Linear and embedding weight drawn from N(0, 0.02), biases zero, layer-norm
 * gains one. The two Linears that write into the residual stream (attention's output projection and the MLP's
 * second layer) start smaller, N(0, 0.02 / sqrt(2 * n_layer)): the 2 * n_layer sub-blocks all add their output
 * to the same stream, and shrinking each addition keeps the stream's variance from growing with depth.
 */
final class Gpt2Init {

    /** The standard deviation of GPT-2's initial weights. */
    static final float STD = 0.02f;

    private Gpt2Init() {}

    /** N(0, 0.02). DJL's NormalInitializer takes the standard deviation (sigma) directly, mean 0. */
    static Initializer normal() {
        return new NormalInitializer(STD);
    }

    /** N(0, 0.02 / sqrt(2 * layers)), for the projections that end a residual branch. */
    static Initializer residualNormal(int layers) {
        return new NormalInitializer((float) (STD / Math.sqrt(2.0 * layers)));
    }

    /** A projection with {@code units} outputs, weight N(0, 0.02), bias (if any) zero. */
    static Projection projection(long units, boolean bias, Compute compute) {
        return withWeights(new Projection(units, bias, compute), normal());
    }

    /** A projection that ends a residual branch: weight N(0, 0.02 / sqrt(2 * layers)), bias (if any) zero. */
    static Projection residualProjection(long units, boolean bias, int layers, Compute compute) {
        return withWeights(new Projection(units, bias, compute), residualNormal(layers));
    }

    private static Projection withWeights(Projection projection, Initializer weights) {
        // Linear's default for WEIGHT is Xavier; its bias already defaults to zeros.
        projection.setInitializer(weights, Parameter.Type.WEIGHT);
        return projection;
    }
}
