/**
 * Before a run: will it fit, and will it be fast? Read {@link org.scratchgpt.plan.MemoryEstimate} first (the bytes
 * training holds at its peak: weights, gradients, AdamW's moments, the activations of one micro-batch that {@link
 * org.scratchgpt.plan.ActivationMemory} counts array by array, and the program), then {@link
 * org.scratchgpt.plan.MemoryPlan} (micro-batch and accumulation settings that fit a budget, for {@code scratchgpt
 * plan}). {@link org.scratchgpt.plan.PrecisionSupport} checks that the engine and device can compute as asked,
 * with {@link org.scratchgpt.plan.PrecisionSpeed} measuring how fast 16-bit products are against float32 and {@link
 * org.scratchgpt.plan.MatmulPeak} the FLOP/s a large matrix multiply reaches (what MFU divides by); {@link
 * org.scratchgpt.plan.Timing} times work as a benchmark should on a JIT. It uses model for the config and the
 * compute being planned, and optim for the training settings.
 *
 * <p>May use: model, optim.
 */
package org.scratchgpt.plan;
