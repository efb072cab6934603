/**
 * {@code scratchgpt export djl}: a checkpoint becomes a model folder that any DJL application loads with {@code
 * Criteria} and the PyTorch engine, no ScratchGPT class needed. Read {@link org.scratchgpt.djl.DjlExport} first (the
 * folder: model.pt, tokenizer.json, serving.properties and a README), then {@link org.scratchgpt.djl.GptModuleFile}
 * (the GPT and its weights as one TorchScript module file) and {@link org.scratchgpt.djl.GptTorchScript} (the GPT's
 * computation written as TorchScript source). It uses model and checkpoint for what it exports, torchscript to write
 * the module file, io, and hf for the parameters' names without DJL's child numbers.
 *
 * <p>May use: checkpoint, hf, io, model, torchscript.
 */
package org.scratchgpt.djl;
