package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The keys and values every layer has computed so far, so that generation runs only the new token through the
 * model. Attention at position t needs the keys and values of positions 0..t, and those of earlier positions
 * never change (a position sees only the ones before it), so they can be kept instead of computed again. The
 * prompt goes through once ("prefill"), then each step adds one position per layer:
 * keys and values of layer l grow from (B, nh, P, hs) to (B, nh, P + T, hs) by concatenation along time.
 *
 * <p>The kept arrays live on a manager of the cache's own, so that a step's manager can close after each step
 * without taking them along; each append closes the arrays it replaces, so the number of live arrays stays the
 * same whatever the length. The cache holds at most context_length positions: {@link Gpt#forwardCached} refuses
 * more, and the caller decides what to do when the window is full (see {@code generation.CachedScores}).
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final Layer[] layers;
    private final int contextLength;
    private int length; // P: positions kept, the same in every layer

    /** An empty cache for {@code config}'s layers, its arrays kept on a sub-manager of {@code parent}. */
    public KvCache(NDManager parent, GptConfig config) {
        this.manager = parent.newSubManager();
        this.contextLength = config.contextLength();
        this.layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer();
        }
    }

    /** How many positions are kept: the position the next token will have. */
    public int length() {
        return length;
    }

    /** Whether the cache holds context_length positions, so that no new position fits. */
    public boolean isFull() {
        return length == contextLength;
    }

    Layer layer(int index) {
        return layers[index];
    }

    /** Called once a forward pass has gone through every layer: its {@code positions} are now kept. */
    void advance(int positions) {
        length += positions;
    }

    /** Forgets every position, e.g. before prefilling a new window. */
    public void clear() {
        for (Layer layer : layers) {
            layer.clear();
        }
        length = 0;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** One layer's keys and values, (B, nh, P, hs) each; null before the first forward pass. */
    final class Layer {
        private NDArray keys;
        private NDArray values;

        /** The position of the first new token: the new block starts where the kept ones end. */
        int start() {
            return length;
        }

        /**
         * Keeps the new positions' keys and values, (B, nh, T, hs) each, and returns all of them, (B, nh, P + T, hs)
         * each, on the new arrays' manager (the step's), so that what the step computes from them is freed with it.
         */
        NDList append(NDArray newKeys, NDArray newValues) {
            keys = keep(keys, newKeys);                                       // (B, nh, P + T, hs)
            values = keep(values, newValues);                                 // (B, nh, P + T, hs)
            NDManager step = newKeys.getManager();
            NDIndex all = new NDIndex(":");
            return new NDList(keys.get(step, all), values.get(step, all));    // views, owned by the step
        }

        private NDArray keep(NDArray kept, NDArray added) {
            NDArray joined = kept == null ? added.duplicate()                 // a copy the cache owns
                    : kept.concat(added, 2);                                  // (B, nh, P, hs) ++ (B, nh, T, hs)
            joined.attach(manager);
            if (kept != null) {
                kept.close();                                                 // replaced: freed now, not at the end
            }
            return joined;
        }

        private void clear() {
            if (keys != null) {
                keys.close();
                values.close();
            }
            keys = null;
            values = null;
        }
    }
}
