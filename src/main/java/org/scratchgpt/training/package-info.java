/**
 * The training loop, nanoGPT's train.py in DJL. Read {@link org.scratchgpt.training.TrainingRun} first (a whole
 * run: data, model and optimizer, then steps, with evaluations and checkpoints, for train and finetune, resumable
 * exactly), then {@link org.scratchgpt.training.TrainingStep} (one optimizer step: k micro-batches forward and
 * backward, clipping, the update) and {@link org.scratchgpt.training.Evaluation} (loss, perplexity and bits per
 * byte on held-out text). Around them: {@link org.scratchgpt.training.ActivationCheckpointing} (memory traded for
 * arithmetic), {@link org.scratchgpt.training.VocabularyGrowth} (a checkpoint loaded for a tokenizer that gained
 * tokens), {@link org.scratchgpt.training.UnencodableText} (a corpus the tokenizer cannot encode, refused before any
 * work), {@link org.scratchgpt.training.StopRequest} (Ctrl-C stops after the step, with a checkpoint), {@link
 * org.scratchgpt.training.TrainingLog} and {@link org.scratchgpt.training.MetricsLog} (what a run prints and logs),
 * and the files it writes for people: {@link org.scratchgpt.training.ModelCard}, {@link
 * org.scratchgpt.training.LossPlot}, {@link org.scratchgpt.training.AttentionSnapshots}. It brings the lower packages
 * together with chat's conversations and lora's adapters; only cli and bench use it.
 *
 * <p>May use: chat, checkpoint, config, data, io, lora, model, optim, pictures, plan, tokenizer, tokens.
 */
package org.scratchgpt.training;
