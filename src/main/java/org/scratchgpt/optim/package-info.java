/**
 * The optimization pieces of training, each checked against torch's formulas. Read them in the order one step
 * uses them: {@link org.scratchgpt.optim.LanguageModelLoss} (mean cross-entropy over every position; with k
 * micro-batches the loop divides it by k, and their gradients add up), {@link org.scratchgpt.optim.GradientClipping}
 * (by the global norm), then {@link org.scratchgpt.optim.AdamW} (torch's AdamW, with its {@link
 * org.scratchgpt.optim.Moments} per weight, decaying only the matrices {@link org.scratchgpt.optim.WeightDecayRule}
 * picks, and zeroing the {@link org.scratchgpt.optim.Gradients} after) at the rate {@link
 * org.scratchgpt.optim.WarmupCosineSchedule} gives (nanoGPT's); {@link org.scratchgpt.optim.LossScaler} keeps
 * float16's small gradients alive. {@link org.scratchgpt.optim.TrainingSettings} holds nanoGPT's training fields and
 * {@link org.scratchgpt.optim.FinetuneSettings} derives a fine-tuning schedule from them. It uses config to read the
 * settings and model to check a preset's name; the loop that runs a step lives in training.
 *
 * <p>May use: config, model.
 */
package org.scratchgpt.optim;
