/**
 * LoRA fine-tuning: a frozen base model, and small trainable low-rank updates beside some of its projections,
 * applied to a built GPT from outside (the model itself knows nothing of LoRA). Read {@link
 * org.scratchgpt.lora.LoraAdapter} first (the update, (alpha / r) · B (A x), with A (r, in) and B (out, r)), then
 * {@link org.scratchgpt.lora.LoraProjection} (the base projection plus that update, y = W x + b + (alpha / r) · B (A
 * x)) and {@link org.scratchgpt.lora.LoraModel} ({@code adapt}: each targeted projection of a built GPT replaced by a
 * LoRA one; the base's weights copied from a checkpoint and frozen), {@link org.scratchgpt.lora.LoraSettings} (rank,
 * alpha, dropout and which {@link org.scratchgpt.lora.LoraTarget}s are adapted), {@link
 * org.scratchgpt.lora.LoraCheckpoint} and {@link org.scratchgpt.lora.AdapterFile} (a checkpoint that holds only the
 * adapters and names its base) and {@link org.scratchgpt.lora.LoraMerge} (the adapters added into the weights: an
 * ordinary checkpoint again). It builds on model, checkpoint and io.
 *
 * <p>May use: checkpoint, io, model.
 */
package org.scratchgpt.lora;
