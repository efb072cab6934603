package org.scratchgpt.plan;

import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.AdamW;

/**
 * How many bytes training a GPT holds at its peak, split the way the memory is spent: the weights, their
 * gradients, AdamW's two moments, the activations of one micro-batch, and the program itself. The first three
 * depend only on the model; activations grow with the micro-batch, which is why accumulating gradients over
 * several small micro-batches is how a big batch fits in a small memory ({@link MemoryPlan}).
 *
 * <p>Which figures are measured: for float32 with attention written out and no checkpointing (what ScratchGPT
 * trains with today), parameters, gradients, optimizer state and activations on a CPU are each held within 25%
 * of the resident memory of real training steps by {@code MemoryEstimateMeasuredTest}. The other options (bf16,
 * fused attention, activation checkpointing, CUDA) are derived from how those features are described, not yet
 * measured; see {@link ActivationMemory} for each assumption.
 *
 * <p>Every figure is a double: a model of any size a user can write must be counted without overflow. In longs, a
 * width of 2,147,483,647 (12 C² per layer) overflowed and {@code plan} reported 90,194M parameters instead of
 * 2.2e20, and memory estimates that wrapped around could even look small enough to fit.
 *
 * @param parameters the weights, float32 (also the "master" copy when the arithmetic runs in bf16)
 * @param gradients one float32 gradient per weight, kept between steps (zeroed, never freed)
 * @param optimizer AdamW's running mean and mean square of the gradients: two float32 numbers per weight
 * @param activations the most that one micro-batch's forward and backward pass (or the clipping) holds at once
 * @param runtime the program around the tensors: JVM and libtorch on a CPU, the CUDA context on a GPU
 */
public record MemoryEstimate(double parameters, double gradients, double optimizer, double activations,
        double runtime) {

    /**
     * The JVM (heap, code) and libtorch around the tensors, measured as peak resident memory minus this estimate's
     * tensors: 316 MB for {@code scratchgpt train --preset baby} (373 MB peak, {@code /usr/bin/time -v}), 387 MB for
     * {@code scratchgpt bench train --preset shakespeare-char --set batch_size=8} (1,343 MB peak); rounded up.
     */
    static final long CPU_RUNTIME_BYTES = 400_000_000L;
    /** The CUDA context, cuBLAS's workspace and the caching allocator's slack: typical figures, not measured here. */
    static final long CUDA_RUNTIME_BYTES = 750_000_000L;

    private static final int FLOAT32_BYTES = 4;

    /** Where the tensors live: the process's RAM or a GPU's memory. */
    public enum DeviceKind { CPU, CUDA }

    /**
     * How a run trains, as far as memory is concerned.
     *
     * @param precision the arithmetic's number format
     * @param fusedAttention whether attention runs as one kernel (scaled_dot_product_attention) that keeps no
     *     (B, nh, T, T) arrays, instead of being written out
     * @param checkpointActivations whether only each block's input is kept and the block recomputed in backward
     * @param device where the tensors live
     */
    public record Options(Precision precision, boolean fusedAttention, boolean checkpointActivations,
            DeviceKind device) {

        /** How {@code scratchgpt train} computes by default: float32, fused attention, every activation kept. */
        public static Options plain(DeviceKind device) {
            return new Options(Precision.FP32, true, false, device);
        }

        public Options withCheckpointing() {
            return new Options(precision, fusedAttention, true, device);
        }

        public Options withPrecision(Precision lower) {
            return new Options(lower, fusedAttention, checkpointActivations, device);
        }
    }

    /** The estimate for training {@code model} on micro-batches of {@code microBatch} sequences of full context. */
    public static MemoryEstimate of(GptConfig model, int microBatch, Options options) {
        double floats = parameterCount(model) * FLOAT32_BYTES;
        double activations = new ActivationMemory(model, microBatch, options).peakBytes();
        double runtime = options.device() == DeviceKind.CUDA ? CUDA_RUNTIME_BYTES : CPU_RUNTIME_BYTES;
        return new MemoryEstimate(floats, floats, 2 * floats, activations, runtime);
    }

    /**
     * The estimate for training LoRA adapters on {@code model}: its weights are frozen (no gradient, no moments), the
     * adapters' {@code adapterParameters} get both, and each token of the micro-batch keeps {@code
     * adapterActivationsPerToken} float32 numbers more. Derived from full training's, not measured.
     */
    public static MemoryEstimate withAdapters(GptConfig model, int microBatch, Options options,
            double adapterParameters, double adapterActivationsPerToken) {
        MemoryEstimate full = of(model, microBatch, options);
        double adapters = adapterParameters * FLOAT32_BYTES;
        double tokens = (double) microBatch * model.contextLength();
        return new MemoryEstimate(full.parameters + adapters, adapters, 2 * adapters,
                full.activations + tokens * adapterActivationsPerToken * FLOAT32_BYTES, full.runtime);
    }

    public double total() {
        return parameters + gradients + optimizer + activations + runtime;
    }

    /**
     * The weights of {@code model}, counted from its shape, as {@link org.scratchgpt.model.Gpt#parameterCount()}
     * counts them after building it (a test holds the two equal), without allocating a model to plan for one.
     * Per block: 12 C² in the four matrices (q, k, v: 3 C²; the projection: C²; the MLP: 8 C²) and 2 C of
     * LayerNorm gains; with bias, 11 C more (9 C of Linear biases, 2 C of LayerNorm shifts). A double, exact up to
     * 2^53 (9e15 parameters), and past that still right to 16 digits.
     */
    public static double parameterCount(GptConfig model) {
        double c = model.embeddingWidth();
        double v = model.vocabSize();
        double block = 12 * c * c + 2 * c + (model.bias() ? 11 * c : 0);
        double embeddings = v * c + (model.positionalEncoding() == PositionalEncoding.LEARNED ? model.contextLength() * c : 0);
        double finalNorm = model.bias() ? 2 * c : c;
        double head = model.tiedEmbeddings() ? 0 : v * c;
        return model.layers() * block + embeddings + finalNorm + head;
    }
}
