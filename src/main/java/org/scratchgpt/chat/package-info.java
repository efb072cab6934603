/**
 * Instruction tuning and chat. Read {@link org.scratchgpt.chat.ChatTemplate} first: how a {@link
 * org.scratchgpt.chat.Conversation} of {@link org.scratchgpt.chat.Message}s, each with its {@link
 * org.scratchgpt.chat.Role}, becomes token ids, with special tokens of its own and a loss that counts the
 * assistant's tokens only; {@link org.scratchgpt.chat.ConversationFile} reads conversations from JSON lines, {@link
 * org.scratchgpt.chat.ConversationBatches} packs them into training batches, and {@link
 * org.scratchgpt.chat.ChatData} is a fine-tuning run's data made of them; {@link org.scratchgpt.chat.ChatSession}
 * keeps a conversation in the terminal within the model's context. It uses tokenizer, tokens for the batches, optim
 * for the loss's ignored target, checkpoint for the files a run records, and config for JSON errors.
 *
 * <p>May use: checkpoint, config, optim, tokenizer, tokens.
 */
package org.scratchgpt.chat;
