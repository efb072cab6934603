package org.scratchgpt.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchgpt.UserError;

/**
 * Adam with decoupled weight decay, computed exactly as {@code torch.optim.AdamW} does. For each parameter p with
 * gradient g, at update t (1, 2, ...) with learning rate lr:
 *
 * <pre>
 *   p = p * (1 - lr * wd)                  decay, only for matrices (see WeightDecayRule)
 *   m = b1 * m + (1 - b1) * g              running average of gradients
 *   v = b2 * v + (1 - b2) * g * g          running average of squared gradients
 *   m^ = m / (1 - b1^t),  v^ = v / (1 - b2^t)   undo the pull toward the zeros m and v start from
 *   p = p - lr * m^ / (sqrt(v^) + eps)
 * </pre>
 *
 * Each number moves by about lr whatever the scale of its gradient: m^ / sqrt(v^) is near +-1 for a steady
 * gradient and smaller for a noisy one. The decay is "decoupled": it shrinks the weight directly, instead of
 * being added to the gradient where Adam's division by sqrt(v^) would weaken it for the parameters with large
 * gradients.
 *
 * <p>Why not DJL's built-in {@code Optimizer.adamW()}: it folds the bias correction into the learning rate and adds
 * eps to the uncorrected sqrt(v), so it drifts from torch early in training; it decays every parameter alike; and
 * it keeps its moments private, so a run cannot be resumed exactly.
 *
 * <p>How DJL calls an optimizer (0.35.1): {@code Trainer.step()} asks its {@code ParameterStore} to update every
 * parameter; the {@code LocalParameterServer} sums the gradients of all devices into a copy and calls
 * {@link #update} once per device with that copy. So the state here is kept per parameter and per device, each
 * device's copy seeing the same gradients and so staying identical; and each copy counts its own steps, rather
 * than using DJL's {@code Optimizer.updateCount}, which counts calls (one per device) and returns the largest
 * count over all parameters. Because the gradient handed in is a copy, clearing it would not clear the weight's
 * real gradient: {@link #update} clears the weight's, as DJL's optimizers do.
 *
 * <p>Call it outside any {@code GradientCollector}: it changes the weights in place, which PyTorch forbids while
 * it records operations for a backward pass.
 */
public final class AdamW extends Optimizer {

    private static final String STATE_FORMAT = "ScratchGPT AdamW state, version 1";

    private final ParameterTracker learningRate;
    // Doubles, as torch keeps them (Python floats); each is rounded to float32 only where it meets a tensor.
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    // parameter id -> device -> moments; DJL gives each parameter a random id, unique per model instance
    private final Map<String, Map<Device, Moments>> moments = new ConcurrentHashMap<>();

    private AdamW(Builder builder) {
        super(new NoBuiltInExtras()); // DJL's rescale, per-element clip and coupled decay: all off, none used
        this.learningRate = builder.learningRate;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.weightDecay = builder.weightDecay;
    }

    /** Settings start at nanoGPT's: learning rate 6e-4, betas 0.9 and 0.95, eps 1e-8, weight decay 0.1. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One AdamW update of {@code weight} with {@code grad}, in place; then the weight's own gradient is zeroed.
     * The learning rate comes from the tracker, asked with the update number t (1 for the first), as DJL's
     * optimizers ask theirs.
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Moments state = momentsFor(parameterId, weight);
        long t = state.advance();
        float lr = learningRateAt(parameterId, t);
        if (WeightDecayRule.appliesTo(weight.getShape())) {
            weight.muli((float) (1 - lr * weightDecay));   // torch: p.mul_(1 - lr * wd)
        }
        updateMoments(state, grad);
        moveWeight(weight, state, lr, t);
        Gradients.zero(weight);
    }

    /**
     * One step over a model's parameters, each with its own gradient, for a training loop that does not go through
     * DJL's {@code Trainer} ({@code trainer.step()} reaches {@link #update} by itself). Parameters that do not learn
     * are skipped. Unlike torch, a parameter that had no backward pass this step still takes a step with a zero
     * gradient; in a GPT every parameter gets a gradient from every batch, so this never differs there.
     */
    public void step(ParameterList parameters) {
        for (Parameter parameter : parameters.values()) {
            if (parameter.requiresGradient()) {
                NDArray weight = parameter.getArray();
                // getGradient() gives a new handle to the gradient; closing it frees the handle, not the gradient
                try (NDArray gradient = weight.getGradient()) {
                    update(parameter.getId(), weight, gradient);
                }
            }
        }
    }

    /** This parameter's moments on the weight's device: new zeros at first, a copy if another device has some. */
    private Moments momentsFor(String parameterId, NDArray weight) {
        Map<Device, Moments> perDevice = moments.computeIfAbsent(parameterId, id -> new ConcurrentHashMap<>());
        Moments existing = perDevice.get(weight.getDevice());
        if (existing != null) {
            return existing;
        }
        Moments created = perDevice.isEmpty()
                ? Moments.zerosLike(weight)
                : perDevice.values().iterator().next().copyFor(weight);
        perDevice.put(weight.getDevice(), created);
        return created;
    }

    private float learningRateAt(String parameterId, long t) {
        float lr = learningRate.getNewValue(parameterId, Math.toIntExact(t));
        if (!(lr >= 0 && Float.isFinite(lr))) { // written this way so that NaN fails too
            throw new UserError("the learning rate for update " + t + " is " + lr
                    + ": check the learning-rate schedule's settings (a rate such as 6e-4)");
        }
        return lr;
    }

    /** m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g². In place; the temporaries are closed at once. */
    private void updateMoments(Moments state, NDArray grad) {
        try (NDArray scaledGrad = grad.mul((float) (1 - beta1))) {             // (1 - b1) g, weight's shape
            state.mean.muli((float) beta1).addi(scaledGrad);
        }
        try (NDArray scaledSquare = grad.square().muli((float) (1 - beta2))) { // (1 - b2) g², weight's shape
            state.meanSquare.muli((float) beta2).addi(scaledSquare);
        }
    }

    /**
     * p = p - lr m^ / (sqrt(v^) + eps), in torch's order of operations: the denominator is sqrt(v) / sqrt(1 - b2^t)
     * + eps, and m's correction is folded into the step size lr / (1 - b1^t).
     */
    private void moveWeight(NDArray weight, Moments state, float lr, long t) {
        double meanCorrection = 1 - Math.pow(beta1, t);
        double meanSquareCorrection = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / meanCorrection);
        try (NDArray denominator = state.meanSquare.sqrt()
                     .divi((float) Math.sqrt(meanSquareCorrection)).addi((float) epsilon);  // sqrt(v^) + eps
             NDArray step = state.mean.div(denominator).muli(stepSize)) {          // lr m^ / (sqrt(v^) + eps)
            weight.subi(step);
        }
    }

    // ---- checkpoints: the moments and step counts, keyed by parameter name ----

    /**
     * Writes the optimizer's state: for each parameter of {@code parameters} that has been updated, its name, its
     * step count and its two moments, bit for bit. Parameter ids are random per model instance, so the file uses
     * the names, which are the same in every model built from the same config.
     */
    public void saveState(DataOutputStream out, ParameterList parameters) throws IOException {
        Map<String, Moments> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> named : parameters) {
            Map<Device, Moments> perDevice = moments.get(named.getValue().getId());
            if (perDevice != null && !perDevice.isEmpty()) {
                byName.put(named.getKey(), perDevice.values().iterator().next()); // every device holds the same
            }
        }
        out.writeUTF(STATE_FORMAT);
        out.writeInt(byName.size());
        for (Map.Entry<String, Moments> entry : byName.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeLong(entry.getValue().steps());
            writeArray(out, entry.getValue().mean);
            writeArray(out, entry.getValue().meanSquare);
        }
        out.flush();
    }

    /**
     * Replaces this optimizer's state with one written by {@link #saveState}, for a model with the same parameter
     * names and shapes. The parameters must be initialised (or loaded): the moments are placed on each weight's
     * manager and device. Training then continues exactly as if it had never stopped.
     */
    public void loadState(DataInputStream in, ParameterList parameters) throws IOException {
        String format = in.readUTF();
        if (!format.equals(STATE_FORMAT)) {
            throw new UserError("the optimizer state starts with '" + format + "', not '" + STATE_FORMAT
                    + "': pass the optimizer file that was saved with this checkpoint");
        }
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> named : parameters) {
            byName.put(named.getKey(), named.getValue());
        }
        Map<String, Map<Device, Moments>> loaded = new ConcurrentHashMap<>();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            Parameter parameter = byName.get(name);
            if (parameter == null) {
                throw new UserError("the optimizer state has moments for parameter " + name
                        + ", which this model lacks: load the state into the model (same config) it was saved with");
            }
            NDArray weight = parameter.getArray();
            long steps = in.readLong();
            Moments state = new Moments(readArray(in, name, weight), readArray(in, name, weight), steps);
            loaded.put(parameter.getId(), new ConcurrentHashMap<>(Map.of(weight.getDevice(), state)));
        }
        requireEveryTrainableParameter(loaded, parameters);
        clearState();
        moments.putAll(loaded);
    }

    private static void requireEveryTrainableParameter(Map<String, Map<Device, Moments>> loaded,
                                                       ParameterList parameters) {
        if (loaded.isEmpty()) {
            return; // saved before the first step: a fresh optimizer
        }
        for (Pair<String, Parameter> named : parameters) {
            if (named.getValue().requiresGradient() && !loaded.containsKey(named.getValue().getId())) {
                throw new UserError("the optimizer state has no moments for parameter " + named.getKey()
                        + ": load the state into the model (same config) it was saved with");
            }
        }
    }

    /**
     * The bytes AdamW's moments (m and v) hold now, over every parameter and device: its memory beyond the model's.
     * Zero before the first step; after it, twice the bytes of every parameter it updated (frozen ones have none).
     */
    public long momentBytes() {
        long bytes = 0;
        for (Map<Device, Moments> perDevice : moments.values()) {
            for (Moments state : perDevice.values()) {
                bytes += state.mean.size() * state.mean.getDataType().getNumOfBytes()
                        + state.meanSquare.size() * state.meanSquare.getDataType().getNumOfBytes();
            }
        }
        return bytes;
    }

    private void clearState() {
        moments.values().forEach(perDevice -> perDevice.values().forEach(Moments::close));
        moments.clear();
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode(); // DJL's own format: data type, shape and the raw bytes
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads one moment onto {@code weight}'s manager and device, checking it has the weight's shape. */
    private static NDArray readArray(DataInputStream in, String name, NDArray weight) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray array = weight.getManager().decode(bytes);
        Shape expected = weight.getShape();
        if (!array.getShape().equals(expected)) {
            array.close();
            throw new UserError("the optimizer state for " + name + " is shaped " + array.getShape()
                    + " but the parameter is " + expected
                    + ": load the state into the model (same config) it was saved with");
        }
        if (!array.getDevice().equals(weight.getDevice())) {
            NDArray moved = array.toDevice(weight.getDevice(), true);
            moved.attach(weight.getManager());
            array.close();
            return moved;
        }
        return array;
    }

    /** DJL's base class wants its own builder; every extra it offers stays at "off". */
    private static final class NoBuiltInExtras extends OptimizerBuilder<NoBuiltInExtras> {
        @Override
        protected NoBuiltInExtras self() {
            return this;
        }
    }

    /** AdamW's settings; {@link #build()} checks them. */
    public static final class Builder {
        private ParameterTracker learningRate = Tracker.fixed(6e-4f);
        private double beta1 = 0.9;
        private double beta2 = 0.95;
        private double epsilon = 1e-8;
        private double weightDecay = 0.1;

        private Builder() {}

        /** Where the learning rate comes from, e.g. a {@link WarmupCosineSchedule} or {@code Tracker.fixed(3e-4f)}. */
        public Builder learningRate(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /** How slowly m and v forget: nanoGPT uses 0.9 and 0.95 (torch's default b2 is 0.999). */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** Added to sqrt(v^) so a parameter with tiny gradients does not take a huge step. */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The fraction lr * wd by which matrices shrink each step; 0 turns decay off. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public AdamW build() {
            if (learningRate == null) {
                throw new UserError("AdamW needs a learning rate: pass a schedule or Tracker.fixed(6e-4f)");
            }
            requireBeta("beta1", beta1, "0.9");
            requireBeta("beta2", beta2, "0.95");
            if (!(epsilon >= 0 && Double.isFinite(epsilon))) {
                throw new UserError("AdamW eps " + epsilon + " must be a small number >= 0: use 1e-8");
            }
            if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw new UserError("weight_decay " + weightDecay + " must be >= 0: use 0.1 (nanoGPT), or 0 for none");
            }
            return new AdamW(this);
        }

        private static void requireBeta(String name, double value, String usual) {
            if (!(value >= 0 && value < 1)) {
                throw new UserError(name + " " + value + " is outside [0, 1): use " + usual
                        + " (a beta of 1 would never forget, and its bias correction would divide by zero)");
            }
        }
    }
}
