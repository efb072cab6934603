/**
 * LoRA fine-tuning: a frozen base model, and small trainable low-rank updates beside some of its Linear layers.
 * Read {@code LoraAdapter} first (the update, y = W x + b + (alpha / r) · B (A x), with A (r, in) and B (out, r)),
 * then {@code LoraSettings} (rank, alpha, dropout and which {@code LoraTarget}s are adapted), {@link
 * org.scratchgpt.lora.LoraModel} (a GPT with adapters, its base weights copied from a checkpoint and frozen), {@link
 * org.scratchgpt.lora.LoraCheckpoint} and {@link org.scratchgpt.lora.AdapterFile} (a checkpoint that holds only the
 * adapters and names its base) and {@link org.scratchgpt.lora.LoraMerge} (the adapters added into the weights: an
 * ordinary checkpoint again). It builds on model, checkpoint and io; the model itself knows nothing of LoRA.
 *
 * <p>May use: checkpoint, io, model.
 */
package org.scratchgpt.lora;
