package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.tokenizer.CharTokenizer;

/**
 * A long generation must not pile up arrays: the cache replaces its keys and values at each step (closing the old
 * ones) and each step's arrays go with the step's manager. Counted as training counts them (TrainingRunTest): the
 * model manager's live arrays, which include those of its sub-managers, after every one of 10,000 steps.
 */
class KvCacheMemoryTest {

    private static final CharTokenizer CHARS = CharTokenizer.fromText(GenerationTesting.TRAINING_TEXT);

    @Test
    void tenThousandCachedStepsKeepTheNumberOfLiveArraysFlat() {
        GptConfig config = new GptConfig(CHARS.vocabSize(), 64, 2, 2, 32, 0.0, true, PositionalEncoding.ROTARY, true);
        try (Model model = Model.newInstance("tiny")) {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            Engine.getInstance().setRandomSeed(3);
            gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 64));
            NDManager manager = model.getNDManager();
            int parametersOnly = manager.getManagedArrays().size();
            NextTokenSampler sampler = new NextTokenSampler(SamplingSettings.DEFAULTS.withSeed(5));
            List<TokenHistory> stream = List.of(new TokenHistory(CHARS.encode("First")));
            try (NextTokenScores scores = new CachedScores(gpt, manager)) {
                stream.get(0).append(sampler.next(scores.next(stream)[0]));   // prefill: makes the cache and mask
                int afterPrefill = manager.getManagedArrays().size();
                for (int step = 1; step < 10_000; step++) {
                    stream.get(0).append(sampler.next(scores.next(stream)[0]));
                    assertEquals(afterPrefill, manager.getManagedArrays().size(), "live arrays after step " + step);
                }
            }
            assertEquals(parametersOnly, manager.getManagedArrays().size(), "live arrays once the scorer is closed");
        }
    }
}
