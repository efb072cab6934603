package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying and dividing an array by a Java number in a pass that will be differentiated. Everything that
 * trains goes through here rather than DJL's {@code x.mul(0.5)}, for a reason that has nothing to do with the
 * arithmetic and everything to do with memory.
 *
 * <p>DJL turns the 0.5 into a one-number tensor whose memory is a Java direct buffer (libtorch only borrows it,
 * {@code from_blob}), multiplies, and closes that tensor at once. Autograd, though, keeps the tensor: the backward
 * pass of y = x · s needs s (dy/dx = s). Once Java's garbage collector frees the buffer, which it may do at any
 * moment between the forward and the backward pass, the backward pass reads whatever the memory holds by then.
 * Training then fails at random: a finite loss with an infinite or absurd gradient norm, a NaN here and there,
 * and two identical runs that are not identical, more often when the machine is busy (the collector's timing).
 *
 * <p>Here the number becomes a tensor that libtorch allocates and owns ({@code torch.full}), so autograd's
 * reference keeps it alive for as long as it needs it. It is a float32 scalar: torch's type promotion leaves a
 * bfloat16 or float16 {@code x} in its own type. Additions and subtractions of a number are safe as DJL does them
 * (their backward pass does not read the number), and inference is safe either way (no backward pass follows).
 */
public final class Scalars {
    private Scalars() {}

    /** x · s, element-wise; x's shape and type. */
    public static NDArray times(NDArray x, double s) {
        try (NDArray scalar = scalarLike(x, s)) { // closing our handle leaves autograd's own reference
            return x.mul(scalar);
        }
    }

    /** x / s, element-wise; x's shape and type. */
    public static NDArray dividedBy(NDArray x, double s) {
        try (NDArray scalar = scalarLike(x, s)) {
            return x.div(scalar);
        }
    }

    /** s as a 0-dimensional float32 tensor in memory libtorch owns, on x's manager and device. */
    private static NDArray scalarLike(NDArray x, double s) {
        return x.getManager().full(new Shape(), (float) s, DataType.FLOAT32);
    }
}
