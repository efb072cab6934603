package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Runs a child block on one array. DJL blocks take and return lists of arrays ({@link NDList}); every block in
 * this model takes and returns exactly one, so this hides the wrapping and unwrapping.
 */
public final class Forward {
    private Forward() {}

    public static NDArray through(Block block, NDArray input, ParameterStore store, boolean training) {
        return block.forward(store, new NDList(input), training).singletonOrThrow();
    }
}
