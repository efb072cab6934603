package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Layer normalisation: each token's C channels are shifted to mean 0 and scaled to variance 1, then multiplied
 * by a learned gain and shifted by an optional learned bias: y = (x - mean) / sqrt(var + eps) * weight + bias.
 * It keeps activations in a steady range however deep the network is, which keeps training stable.
 *
 * <p>The formula is written out in {@link #reference}; training calls libtorch's fused kernel instead, which
 * computes the same in one pass over the data (forward and backward) rather than seven, and keeps no
 * intermediate (B, T, C) arrays alive for the backward pass. {@code LayerNormTest} holds the two together.
 */
public final class LayerNorm extends AbstractBlock {

    /** Added to the variance so that a constant input does not divide by zero; PyTorch's default. */
    static final float EPSILON = (float) GptConfig.DEFAULT_LAYER_NORM_EPSILON;

    private final Parameter weight;
    private final Parameter bias;
    private final float epsilon;

    /** Normalises the last axis, of size {@code width}; {@code bias} adds a learned shift. */
    public LayerNorm(int width, boolean bias) {
        this(width, bias, EPSILON);
    }

    /** A LayerNorm as {@code config} asks for: n_embd wide, its bias setting, its epsilon. */
    public static LayerNorm of(GptConfig config) {
        return new LayerNorm(config.embeddingWidth(), config.bias(), (float) config.layerNormEpsilon());
    }

    /** As above, adding {@code epsilon} to the variance (GPT-2 and PyTorch: 1e-5). */
    public LayerNorm(int width, boolean bias, float epsilon) {
        this.epsilon = epsilon;
        // GAMMA starts at ones and BETA at zeros, so a fresh LayerNorm only normalises.
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(width)).build());
        this.bias = bias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(new Shape(width)).build()) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                   // (B, T, C)
        NDArray gain = store.getValue(weight, x.getDevice(), training);          // (C)
        NDArray shift = bias != null ? store.getValue(bias, x.getDevice(), training)
                : x.getManager().zeros(gain.getShape());                         // (C)
        Shape normalised = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return new NDList(x.getNDArrayInternal().layerNorm(x, normalised, gain, shift, epsilon).get(0)); // (B, T, C)
    }

    /** The formula, step by step: what the fused kernel computes. */
    static NDArray reference(NDArray x, NDArray gain, NDArray shift) {
        NDArray mean = x.mean(new int[] {-1}, true);                    // (B, T, 1)
        NDArray centred = x.sub(mean);                                  // (B, T, C)
        // The biased variance (divide by C, not C - 1), as PyTorch's layer_norm uses.
        NDArray variance = centred.square().mean(new int[] {-1}, true); // (B, T, 1)
        NDArray normalised = centred.div(variance.add(EPSILON).sqrt()); // (B, T, C)
        return normalised.mul(gain).add(shift);                         // (B, T, C) * (C) + (C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
