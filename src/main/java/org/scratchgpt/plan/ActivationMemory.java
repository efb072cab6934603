package org.scratchgpt.plan;

import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.plan.MemoryEstimate.DeviceKind;
import org.scratchgpt.plan.MemoryEstimate.Options;

/**
 * The activations of one micro-batch, counted array by array from what our model's code keeps alive. Two things
 * keep an array: DJL keeps every array a block returns until the micro-batch's manager closes (after backward),
 * and autograd keeps what each operation's backward needs (some of which the code never sees, such as the
 * contiguous copies a batched matrix product makes of a transposed input). Everything is counted in units of
 *
 * <pre>
 *   n  = B T C        one (B, T, C) array: the residual stream, a LayerNorm's output, a Linear's output
 *   s  = B nh T T     one (B, nh, T, T) array of attention scores or weights
 *   lg = B T V        the logits, one score per vocabulary token at every position
 * </pre>
 *
 * The peak comes at the start of the backward pass, when every forward activation is still alive and the
 * gradients of the largest arrays are being made; or, for a big model on a small batch, in the clipping and the
 * optimizer's update, which work one weight at a time.
 *
 * <p>Measured (float32, written-out attention, no checkpointing, CPU): every count below that carries no
 * "assumed" remark, within 25% by {@code MemoryEstimateMeasuredTest}, dropout and rotary positions included.
 * Also measured: fused attention, bf16 (2-byte activations between the matrix products, float32 around the
 * LayerNorms and in the residual stream, and bf16 copies of the weights) and activation checkpointing. Assumed: CUDA's one-byte dropout masks.
 */
final class ActivationMemory {

    private static final int FLOAT32_BYTES = 4;

    private final GptConfig model;
    private final Options options;
    // Doubles, as MemoryEstimate's figures: B nh T T alone overflows a long for a context of 2^31.
    private final double n;
    private final double s;
    private final double lg;
    private final double logSumExp;

    ActivationMemory(GptConfig model, int microBatch, Options options) {
        this.model = model;
        this.options = options;
        double b = microBatch;
        double t = model.contextLength();
        this.n = b * t * model.embeddingWidth();
        this.s = b * model.heads() * t * t;
        this.lg = b * t * model.vocabSize();
        this.logSumExp = b * model.heads() * t;
    }

    /** The most bytes held at once by the activations (or the update's temporaries) of one training step. */
    double peakBytes() {
        double backward = outsideBlocks() + weightCopies();
        if (options.checkpointActivations()) {
            // Each block's input is kept (float32); one block at a time is recomputed with its activations.
            backward += model.layers() * n * FLOAT32_BYTES
                    + Math.max(headGradients(), blockKept() + blockGradients());
        } else {
            backward += model.layers() * blockKept() + Math.max(headGradients(), blockGradients());
        }
        // After backward the activations are gone; clipping then squares one gradient at a time, and AdamW's update
        // holds two temporaries of a weight's shape (the denominator and the step): three arrays the size of the
        // largest weight, which is the peak of a big model on a tiny batch.
        double update = 3 * largestWeight() * FLOAT32_BYTES;
        return Math.max(backward, update);
    }

    /** Elements of the largest weight matrix: the token embedding, the MLP's (4C, C), or the position table. */
    private double largestWeight() {
        double c = model.embeddingWidth();
        return Math.max(model.vocabSize() * c, Math.max(4 * c * c, model.contextLength() * c));
    }

    /** What one transformer block keeps until backward, in bytes. */
    private double blockKept() {
        double bytes = options.precision().isReduced() ? reducedPrecisionBlockKept() : float32BlockKept();
        if (model.positionalEncoding() == PositionalEncoding.ROTARY) {
            // Rotating q and k (in float32) keeps six half-size products and the concatenation for each (8n); the
            // rotated arrays are contiguous, so the products need no copies of q and k (-2n).
            bytes += 6 * n * FLOAT32_BYTES;
        }
        if (model.dropout() > 0) {
            // A Dropout keeps its output and its mask: after the attention weights (s), the projection and the MLP.
            bytes += (options.fusedAttention() ? 0 : dropout(s)) + 2 * dropout(n);
        }
        return bytes;
    }

    /** float32: every array of the block, in 4 bytes. */
    private double float32BlockKept() {
        double elements = n                      // attention LayerNorm output
                + 3 * n                        // q, k, v from the fused Linear (B, T, 3C); the heads are views of it
                + attentionCore()
                + 2 * n                        // the heads' output merged back to (B, T, C) (a copy), projected
                + n                            // the residual sum x + attn(ln1(x))
                + n                            // feed-forward LayerNorm output
                + 8 * n                        // widened (B, T, 4C), and its GELU (exact GELU keeps its input)
                + n                            // narrowed back to (B, T, C)
                + n;                           // the residual sum x + mlp(ln2(x))
        return elements * FLOAT32_BYTES;
    }

    /**
     * bf16/fp16 as {@link org.scratchgpt.model.Compute} does it, and as PyTorch's autocast does: each matrix product
     * casts its float32 input to 2 bytes and leaves its result in 2 bytes, so q, k, v, attention's output, the MLP's
     * widened array and its GELU are all 2-byte arrays; only the LayerNorms' outputs and the residual stream are
     * float32 (measured by {@code MemoryEstimateMeasuredTest}).
     */
    private double reducedPrecisionBlockKept() {
        double float32 = n + n                  // the attention LayerNorm's output; the residual sum
                + n + n;                      // the feed-forward LayerNorm's output; the residual sum
        double reduced = n + 3 * n              // the qkv product's input (the LayerNorm's output cast); q, k, v
                + n + n + n                   // attention's output, merged to (B, T, C), projected
                + n + 4 * n + 4 * n + n;      // the widening's input; widened; its GELU; narrowed
        return float32 * FLOAT32_BYTES + reduced * activationBytes() + logSumExp * FLOAT32_BYTES;
    }

    /** Elements between q, k, v and the heads' output, for written-out or fused attention. */
    private double attentionCore() {
        if (options.fusedAttention()) {
            // Assumed: scaled_dot_product_attention keeps contiguous q, k, v, its output, and one log-sum-exp
            // per row of scores; no (T, T) array.
            return 3 * n + n + logSumExp;
        }
        return 2 * n    // q scaled by 1/sqrt(hs), and the contiguous copy the batched product makes of it
                + n     // k's contiguous copy for the same product (its transpose is a view of the Linear's output)
                + s     // softmax's weights (B, nh, T, T): kept by softmax and by the product with v
                + n     // v's contiguous copy for the product with the weights
                + n;    // the heads' output y (B, nh, T, hs), before the merge
    }

    /** The gradients alive at once while backward goes through one block, in bytes. */
    private double blockGradients() {
        // Feed-forward: the gradients of GELU's output and input (4n each, in the activations' format) and of the
        // residual stream (n, float32).
        double feedForward = 8 * n * activationBytes() + n * FLOAT32_BYTES;
        // Written-out attention (float32): the gradients of the weights and of the scores (s each), v's gradient
        // waiting for q's and k's, and the residual stream's (n each). Fused: q's, k's, v's and the output's
        // gradient (in the activations' format), and the stream's.
        double attention = options.fusedAttention() ? 4 * n * activationBytes() + n * FLOAT32_BYTES
                : (2 * s + 2 * n) * FLOAT32_BYTES;
        return Math.max(feedForward, attention);
    }

    /** What the embeddings, the final LayerNorm, the head and the loss keep, in bytes. */
    private double outsideBlocks() {
        double stream = n                                   // token embeddings
                + (model.positionalEncoding() == PositionalEncoding.ROTARY ? 0 : n) // + position table
                + n;                                      // final LayerNorm output
        double bytes = stream * FLOAT32_BYTES
                + 2 * lg * FLOAT32_BYTES;                 // logits and their log-softmax (the loss keeps both)
        if (model.dropout() > 0) {
            bytes += dropout(n);                          // the embeddings' dropout
        }
        return bytes;
    }

    /** Backward through the loss: gather's gradient and log-softmax's, both (B, T, V) float32. */
    private double headGradients() {
        return 2 * lg * FLOAT32_BYTES;
    }

    /**
     * Bytes a Dropout keeps for {@code elements} numbers: its output and its mask (dropout after a projection acts
     * on the projection's result, 2 bytes in bf16/fp16; counted as float32 here, an overestimate there). On a CPU libtorch draws the mask as numbers of the array's type; on CUDA it keeps a one-byte
     * mask (assumed, not measured here).
     */
    private double dropout(double elements) {
        int mask = options.device() == DeviceKind.CUDA ? 1 : FLOAT32_BYTES;
        return elements * (FLOAT32_BYTES + mask);
    }

    /**
     * Assumed for bf16/fp16: every matrix product casts its float32 weight to 2 bytes and autograd keeps the copy
     * for backward (all blocks' copies, or one block's when checkpointing) and the tied head's.
     */
    private double weightCopies() {
        if (activationBytes() == FLOAT32_BYTES) {
            return 0;
        }
        double c = model.embeddingWidth();
        double blockMatrices = 12 * c * c;
        int blocks = options.checkpointActivations() ? 1 : model.layers();
        return activationBytes() * (blocks * blockMatrices + model.vocabSize() * c);
    }

    private int activationBytes() {
        return options.precision().bytes();
    }
}
