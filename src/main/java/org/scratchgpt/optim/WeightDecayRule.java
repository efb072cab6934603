package org.scratchgpt.optim;

import ai.djl.ndarray.types.Shape;

/**
 * Which parameters weight decay shrinks: nanoGPT's rule, by shape. A parameter with two or more dimensions is a
 * matrix (every Linear weight, the token and position embeddings) and is decayed; a vector (every bias, every
 * layer-norm gain) is not. Decay pulls numbers toward zero; that regularises the matrices, which hold nearly all
 * of the model's capacity, but pulling a layer-norm gain toward zero would only fight the normalisation, and a
 * bias has too few numbers to overfit with.
 */
public final class WeightDecayRule {

    private WeightDecayRule() {}

    /** True for matrices (2+ dimensions), false for vectors and scalars. */
    public static boolean appliesTo(Shape parameterShape) {
        return parameterShape.dimension() >= 2;
    }
}
