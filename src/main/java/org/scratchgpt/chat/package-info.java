/**
 * Instruction tuning and chat: conversations read from JSON lines ({@link ConversationFile}), rendered with a chat
 * template of special tokens whose loss counts the assistant's tokens only ({@link ChatTemplate}), packed into
 * training batches ({@link ConversationBatches}), and a conversation in the terminal that keeps its history within
 * the context ({@link ChatSession}).
 */
package org.scratchgpt.chat;
