package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A positional encoding added to the token embeddings (learned or sinusoidal; rotary acts inside attention).
 * As a block it numbers the positions from 0; generation with a {@link KvCache} runs only the newest tokens, and
 * they must get their true positions, so it can also start counting further on.
 */
interface AddedPositions extends Block {

    /** x plus the encodings of positions start..start + T - 1: (B, T, C) + (T, C). */
    NDArray addFrom(ParameterStore store, NDArray x, long start, boolean training);
}
