/**
 * LoRA fine-tuning around the model's {@link org.scratchgpt.model.LoraAdapter} blocks: a LoRA model is a GPT built
 * with {@link org.scratchgpt.model.LoraSettings}, whose base weights are copied from a checkpoint and frozen
 * ({@link LoraModel}); its checkpoints hold only the adapters and a reference to the base ({@link AdapterFile},
 * {@link BaseReference}); {@link LoraMerge} adds the adapters into the weights and writes an ordinary checkpoint.
 */
package org.scratchgpt.lora;
