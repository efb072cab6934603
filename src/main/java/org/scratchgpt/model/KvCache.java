package org.scratchgpt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The keys and values every layer has computed so far, so that generation runs only the new token through the
 * model. Attention at position t needs the keys and values of positions 0..t, and those of earlier positions
 * never change (a position sees only the ones before it), so they can be kept instead of computed again. The
 * prompt goes through once ("prefill"), then each step adds one position per layer.
 *
 * <p>Each layer keeps its keys and values in two arrays of the full window, (B, nh, context_length, hs), made at
 * the first step: a new position is written into its row in place, and attention reads the first P + T rows as a
 * view. Growing arrays by concatenation instead would copy every kept key and value at every step, in every
 * layer: a cost that grows with the length and, on GPT-2's shape, took longer than the step's own arithmetic.
 *
 * <p>The kept arrays live on a manager of the cache's own, so that a step's manager can close after each step
 * without taking them along; their number never changes, whatever the length. The cache holds at most
 * context_length positions: {@link Gpt#forwardCached} refuses more, and the caller decides what to do when the
 * window is full (see {@code generation.CachedScores}).
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

    /** Forgets every position, e.g. before prefilling a new window. The arrays stay, to be written over. */
    public void clear() {
        length = 0;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** One layer's keys and values, (B, nh, context_length, hs) each, of which the first P rows are kept. */
    final class Layer {
        private NDArray keys;
        private NDArray values;

        /** The position of the first new token: the new block starts where the kept ones end. */
        int start() {
            return length;
        }

        /**
         * Keeps the new positions' keys and values, (B, nh, T, hs) each, in rows P..P + T - 1, and returns all kept
         * ones, (B, nh, P + T, hs) each: views on the new arrays' manager (the step's), freed with the step.
         */
        NDList append(NDArray newKeys, NDArray newValues) {
            if (keys == null || keys.getShape().get(0) != newKeys.getShape().get(0)) {
                release();                                                    // none yet, or another batch size
                keys = window(newKeys);
                values = window(newValues);
            }
            long end = length + newKeys.getShape().get(2);                  // P + T
            NDIndex newRows = new NDIndex(":, :, {}:{}", length, end);
            keys.set(newRows, newKeys);                                       // written in place, nothing copied
            values.set(newRows, newValues);
            NDManager step = newKeys.getManager();
            NDIndex kept = new NDIndex(":, :, :{}", end);
            return new NDList(keys.get(step, kept), values.get(step, kept));  // (B, nh, P + T, hs) views
        }

        /**
         * An array of context_length positions shaped and typed like {@code like} (B, nh, T, hs), on the cache's
         * manager. It is made by repeating like's first position, not with zeros(shape, type): DJL cannot make a
         * bfloat16 array from a data type. What a row holds before it is written is never read.
         */
        private NDArray window(NDArray like) {
            NDArray first = like.get(new NDIndex(":, :, :1"));               // (B, nh, 1, hs)
            NDArray window = first.repeat(2, contextLength);                  // (B, nh, context_length, hs)
            first.close();
            window.attach(manager);
            return window;
        }

        private void release() {
            if (keys != null) {
                keys.close();
                values.close();
            }
        }
    }
}
