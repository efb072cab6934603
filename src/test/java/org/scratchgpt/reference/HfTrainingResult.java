package org.scratchgpt.reference;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one run of HuggingFace's BPE trainer produced.
 *
 * @param tokenizerJson the {@code tokenizer.json} HuggingFace saved, usable by {@link HfDjlTokenizer}
 * @param merges each merge as its two byte-level parts, in rank order (rank 0 first)
 * @param vocab each byte-level token and its id
 * @param trainMillis wall time of the training call alone, measured inside node
 */
public record HfTrainingResult(
        Path tokenizerJson, List<String[]> merges, Map<String, Integer> vocab, double trainMillis) {}
