package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.tokenizer.CharTokenizer;

/**
 * A GPT saved with DJL's {@code Model.save} and loaded back through DJL's standard {@link Criteria}, with this
 * package's translator, generates the same text as before saving: the path a checkpoint will take to
 * {@code scratchgpt sample}.
 */
class CriteriaLoadingTest {

    @Test
    void aModelLoadedThroughCriteriaGeneratesTheSameText(@TempDir Path directory) throws Exception {
        CharTokenizer tokenizer = CharTokenizer.fromText(GenerationTesting.TRAINING_TEXT);
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 16, 2, 2, 32, 0.0, true,
                PositionalEncoding.LEARNED, true);
        SamplingSettings settings = SamplingSettings.DEFAULTS.withMaxNewTokens(20);

        String before;
        try (Model model = Model.newInstance("tiny")) {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            Engine.getInstance().setRandomSeed(3);
            gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 16));
            try (TextGenerator generator = new TextGenerator(model, config, tokenizer)) {
                before = generator.generate("First", settings, text -> {}).newText();
            }
            model.save(directory, "tiny");
        }

        Criteria<int[], float[]> criteria = Criteria.builder()
                .setTypes(int[].class, float[].class)
                .optModelPath(directory)
                .optModelName("tiny")
                .optBlock(new Gpt(config))
                .optTranslator(new NextTokenLogitsTranslator())
                .optEngine("PyTorch")
                .build();
        try (ZooModel<int[], float[]> loaded = criteria.loadModel();
                TextGenerator generator = new TextGenerator(loaded, config, tokenizer)) {
            assertEquals(before, generator.generate("First", settings, text -> {}).newText());
        }
    }
}
