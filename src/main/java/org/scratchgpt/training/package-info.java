/**
 * The optimization pieces of training, each checked against torch's formulas: {@link
 * org.scratchgpt.optim.LanguageModelLoss} (mean cross-entropy over every position), {@link
 * org.scratchgpt.optim.GradientClipping} (by the global norm), {@link org.scratchgpt.optim.AdamW} (torch's
 * AdamW, decaying only the matrices chosen by {@link org.scratchgpt.optim.WeightDecayRule}) and {@link
 * org.scratchgpt.optim.WarmupCosineSchedule} (nanoGPT's learning rate). One iteration uses them in this order:
 *
 * <pre>
 *   for each of the k micro-batches:                 in its own GradientCollector
 *       loss = LanguageModelLoss(logits, targets) / k      the loss is a mean, so each part counts 1/k
 *       backward(loss)                                    gradients add up: DJL never zeroes them
 *   norm = GradientClipping.clipToGlobalNorm(parameters, 1.0)
 *   adamW.step(parameters)          or trainer.step(): the update, with the schedule's rate; zeroes the gradients
 * </pre>
 *
 * <p>Nothing here keeps arrays per step: AdamW's moments live on each weight's manager (freed with the model),
 * and every temporary is closed before its method returns.
 */
package org.scratchgpt.training;

