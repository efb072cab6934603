/**
 * The last step of {@code data prepare}: the kept documents become the token shards that {@code train --dataset}
 * memory-maps. Read {@link org.scratchgpt.curation.shards.TokenShards} first (nanoGPT's fineweb.py in Java): the
 * splits are read back by {@link org.scratchgpt.curation.shards.PreparedSplits}, encoded in order on several
 * threads by {@link org.scratchgpt.curation.shards.OrderedEncoder}, separated by the {@link
 * org.scratchgpt.curation.shards.DocumentSeparator} token, and written by {@link
 * org.scratchgpt.curation.shards.ShardWriter} as token files that a dataset manifest lists. It uses tokenizer and
 * tokens for the ids and their files, io for checksums and atomic writes, and its parent package's Document.
 *
 * <p>May use: curation, io, tokenizer, tokens.
 */
package org.scratchgpt.curation.shards;
