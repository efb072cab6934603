/**
 * Text to token ids and back: a byte-level BPE in the GPT-2 family and, for the classic character-level demos,
 * {@link org.scratchgpt.tokenizer.CharTokenizer}, both behind the {@link org.scratchgpt.tokenizer.Tokenizer}
 * interface. Start with {@link org.scratchgpt.tokenizer.BasicBpe}, the whole algorithm in one short class (count
 * pairs, merge the most frequent, repeat), which the fast classes are proven to equal. Then read them in this order:
 * {@link org.scratchgpt.tokenizer.ByteLevel} (every byte gets a visible
 * stand-in character, so a vocabulary of byte sequences is stored as text), {@link
 * org.scratchgpt.tokenizer.SplitPattern} and {@link org.scratchgpt.tokenizer.PreTokenizer} (a regex cuts text into
 * words, so merges never cross a word), {@link org.scratchgpt.tokenizer.BpeTrainer} (learning merges: repeatedly
 * merge the most frequent adjacent pair, exactly as HuggingFace's trainer does), {@link
 * org.scratchgpt.tokenizer.WordMerger} (applying them to a new word, earliest-learned first), {@link
 * org.scratchgpt.tokenizer.BpeTokenizer} (encode and decode, with {@link org.scratchgpt.tokenizer.SpecialTokens}
 * matched only when the caller allows it), then {@link org.scratchgpt.tokenizer.TokenizerJson} (HuggingFace's
 * {@code tokenizer.json}, so tokenizers trained here load there and GPT-2's loads here). It uses config to word a
 * broken JSON file's error and io to write {@code tokenizer.json} atomically.
 *
 * <p>May use: config, io.
 */
package org.scratchgpt.tokenizer;
