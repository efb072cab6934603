package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Puts new values into a weight in place, as loading from outside (an imported GPT-2, adapters read from a file, a merge) does.
 * DJL offers {@code NDArray.set(Buffer)} and {@code copyTo} for this, but on the PyTorch engine both run under
 * libtorch's deprecated {@code AutoNonVariableTypeMode}, which prints a warning meant for libtorch's own developers
 * to the process's standard error (once per process, from native code, past any Java logger). Writing through an
 * index, {@code target[...] = values}, copies the same values in no-grad mode without it.
 */
public final class Overwrite {
    /** Every position: the ellipsis of {@code t[...]}, for a weight of any rank. */
    private static final NDIndex ALL = new NDIndex("...");

    private Overwrite() {}

    /** {@code target}'s values become {@code values}' (the same shape), in place. */
    public static void with(NDArray target, NDArray values) {
        target.set(ALL, values);
    }

    /** {@code target}'s values become {@code values}, in its shape's row-major order, in place. */
    public static void with(NDArray target, float[] values) {
        try (NDArray array = target.getManager().create(values, target.getShape())) {
            with(target, array);
        }
    }
}
