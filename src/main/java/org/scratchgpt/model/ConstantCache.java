package org.scratchgpt.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A constant array that a block computes once and reuses on every forward pass (the causal mask, a table of
 * sines), like a PyTorch buffer that is not saved with the weights. It is made on the parameter store's
 * manager, so it lives as long as the parameters in use, one copy per device; if that manager has since been
 * closed, it is simply made again.
 */
final class ConstantCache {

    private final Function<NDManager, NDArray> maker;
    private final Map<Device, NDArray> perDevice = new HashMap<>();

    /** {@code maker} builds the whole constant on the manager it is given. */
    ConstantCache(Function<NDManager, NDArray> maker) {
        this.maker = maker;
    }

    /**
     * The part {@code index} of the constant, on {@code like}'s device. The slice belongs to {@code like}'s
     * manager, not to the long-lived one, so the slices taken at every step are freed with the step's arrays.
     */
    NDArray slice(ParameterStore store, NDArray like, NDIndex index) {
        return whole(store, like.getDevice()).get(like.getManager(), index);
    }

    private synchronized NDArray whole(ParameterStore store, Device device) {
        NDArray constant = perDevice.get(device);
        if (constant == null || constant.isReleased()) {
            constant = make(store.getManager(), device);
            perDevice.put(device, constant);
        }
        return constant;
    }

    private NDArray make(NDManager manager, Device device) {
        NDArray made = maker.apply(manager);
        NDArray placed = made.toDevice(device, false);
        if (placed != made) {
            made.close();
        }
        return placed;
    }
}
