/**
 * The {@code scratchgpt} command line, on picocli: one program, a sub-command per stage of the pipeline. Read {@link
 * org.scratchgpt.cli.ScratchGpt} first (the list of commands), then one command end to end, such as {@link
 * org.scratchgpt.cli.TrainCommand} or {@link org.scratchgpt.cli.SampleCommand}; the options several commands share
 * have classes of their own ({@link org.scratchgpt.cli.DeviceOption}, {@link org.scratchgpt.cli.SamplingOptions},
 * {@link org.scratchgpt.cli.FieldOverrides}...), and {@link org.scratchgpt.cli.FriendlyErrors} turns a UserError
 * into one clear line. It is the top: it uses most packages, and no package may use it.
 *
 * <p>May use: bench, chat, checkpoint, config, curation.dedup, curation.prepare, curation.quality, curation.read, curation.report, curation.split, data, djl, generation, hf, inspect, io, lora, model, optim, pictures, plan, quantize, tokenizer, tokens, training.
 */
package org.scratchgpt.cli;
