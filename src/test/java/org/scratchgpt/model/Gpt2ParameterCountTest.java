package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.scratchgpt.model.ModelTesting.initialize;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The gpt2-124m preset builds exactly GPT-2 small: 124,439,808 parameters, the count of Hugging Face's
 * {@code gpt2} checkpoint (nanoGPT prints 123.65M because it leaves out the 786,432 position embeddings).
 * It allocates the real model, about 0.5 GB of float32.
 */
class Gpt2ParameterCountTest {

    @Test
    void gpt2SmallHasItsPublishedParameterCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(Presets.model("gpt2-124m"));
            long start = System.nanoTime();
            initialize(gpt, manager, new Shape(1, 1));
            System.out.printf("gpt2-124m initialised in %.1f s%n", (System.nanoTime() - start) / 1e9);
            assertEquals(124_439_808L, gpt.parameterCount());
        }
    }

    @Test
    void smallerPresetsCountAsNanoGptsDo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(Presets.model("shakespeare-char"));
            initialize(gpt, manager, new Shape(1, 1));
            // nanoGPT prints "number of parameters: 10.65M", which leaves out the 256 x 384 position table.
            assertEquals(10_646_784L + 256 * 384, gpt.parameterCount());
        }
    }
}
