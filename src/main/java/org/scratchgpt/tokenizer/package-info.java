/**
 * Text to token ids and back: a byte-level BPE in the GPT-2 family, readable in this order.
 *
 * <ol>
 *   <li>{@link org.scratchgpt.tokenizer.ByteLevel}: every byte gets a visible stand-in character, so that a
 *       vocabulary of byte sequences can be stored as text ({@code " the"} is written {@code "Ġthe"}).
 *   <li>{@link org.scratchgpt.tokenizer.SplitPattern} and {@link org.scratchgpt.tokenizer.PreTokenizer}: a regex
 *       cuts text into words first, so that merges never cross a word, a number or punctuation.
 *   <li>{@link org.scratchgpt.tokenizer.BpeTrainer}: learning merges. Start from the 256 bytes; repeatedly
 *       merge the most frequent adjacent pair into a new token, updating the pair counts only where a merge
 *       happened, exactly as HuggingFace's trainer does (ties included).
 *   <li>{@link org.scratchgpt.tokenizer.WordMerger}: applying merges to a new word, earliest-learned first.
 *   <li>{@link org.scratchgpt.tokenizer.BpeTokenizer}: encode (split, bytes, merge, with a cache of words) and
 *       decode (concatenate the tokens' bytes); {@link org.scratchgpt.tokenizer.SpecialTokens} such as
 *       {@code <|endoftext|>} are matched only when the caller allows it.
 *   <li>{@link org.scratchgpt.tokenizer.TokenizerJson}: HuggingFace's {@code tokenizer.json}, so that tokenizers
 *       trained here load in HuggingFace (and DJL's binding of it), and GPT-2's loads here.
 * </ol>
 *
 * {@link org.scratchgpt.tokenizer.CharTokenizer} (one token per character) shares the
 * {@link org.scratchgpt.tokenizer.Tokenizer} interface, for the classic character-level demos.
 */
package org.scratchgpt.tokenizer;
