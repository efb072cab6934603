package org.scratchgpt.generation;

import java.util.List;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;

/** Small tokenizers and texts shared by the generation tests. */
final class GenerationTesting {
    private GenerationTesting() {}

    /** A few lines of mostly English with some accents and CJK, so that rare characters stay split in bytes. */
    static final String TRAINING_TEXT = """
            First Citizen:
            Before we proceed any further, hear me speak.
            All: Speak, speak. Ça va? Très bien, merci.
            Le café est très chaud. 日本語のテキスト。
            You are all resolved rather to die than to famish?
            """;

    /** Byte-level BPE of 300 tokens (256 bytes + 44 merges) learned on {@link #TRAINING_TEXT}. */
    static BpeTokenizer smallBpe() {
        return new BpeTrainer(300, 0, List.of(), PreTokenizer.of(SplitPattern.GPT2), false).train(TRAINING_TEXT);
    }
}
