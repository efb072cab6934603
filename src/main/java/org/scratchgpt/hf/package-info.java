/**
 * HuggingFace's GPT-2, in and out. Read {@link org.scratchgpt.hf.Gpt2Import} first ({@code scratchgpt import gpt2}:
 * a HuggingFace folder becomes a run folder) and {@link org.scratchgpt.hf.HfExport} ({@code export hf}: a checkpoint
 * becomes a folder transformers loads), then their pieces: {@link org.scratchgpt.hf.HfGpt2Config} (HuggingFace's
 * config.json, read into a GptConfig and written from one), {@link org.scratchgpt.hf.Gpt2TensorNames} and {@link
 * org.scratchgpt.hf.Gpt2Weights} (which tensor is which parameter, moved with every shape checked), {@link
 * org.scratchgpt.hf.StandInTensors} (zero biases and the sinusoidal table, for models without those parameters), {@link
 * org.scratchgpt.hf.SafetensorsFile}, {@link org.scratchgpt.hf.SafetensorsWriter} and {@link
 * org.scratchgpt.hf.SafetensorsDtype} (the weights' file format, read as its specification says) and {@link
 * org.scratchgpt.hf.Gpt2TokenizerFiles} (GPT-2's older vocab.json and merges.txt). It uses model, tokenizer and
 * checkpoint for what it converts, config and io to read and write.
 *
 * <p>May use: checkpoint, config, io, model, optim, tokenizer.
 */
package org.scratchgpt.hf;
