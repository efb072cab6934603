package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.scratchgpt.model.ModelTesting.forward;
import static org.scratchgpt.model.ModelTesting.initialize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Every block, run on B=2, T=5 with C=8 and 2 heads: the shape it returns, and the shape it says it returns. */
class BlockShapesTest {

    private static final GptConfig CONFIG = ModelTesting.tiny(PositionalEncoding.LEARNED);
    private static final Shape IDS = new Shape(2, 5);        // (B, T)
    private static final Shape ACTIVATIONS = new Shape(2, 5, 8); // (B, T, C)

    @Test
    void blocksOnActivationsKeepTheirShape() {
        assertShape(new LayerNorm(8, true), ACTIVATIONS, ACTIVATIONS);
        assertShape(new LearnedPositionalEmbedding(8, 8), ACTIVATIONS, ACTIVATIONS);
        assertShape(new SinusoidalPositionalEncoding(8, 8), ACTIVATIONS, ACTIVATIONS);
        assertShape(new FeedForward(CONFIG), ACTIVATIONS, ACTIVATIONS);
        assertShape(new CausalSelfAttention(CONFIG), ACTIVATIONS, ACTIVATIONS);
        assertShape(new CausalSelfAttention(ModelTesting.tiny(PositionalEncoding.ROTARY)), ACTIVATIONS, ACTIVATIONS);
        assertShape(new TransformerBlock(CONFIG), ACTIVATIONS, ACTIVATIONS);
        assertShape(OutputHead.untied(11, 8, Compute.REFERENCE), ACTIVATIONS, new Shape(2, 5, 11));
    }

    @Test
    void idsBecomeVectorsAndVectorsBecomeLogits() {
        assertShape(new TokenEmbedding(11, 8), IDS, ACTIVATIONS);
        for (PositionalEncoding positions : PositionalEncoding.values()) {
            assertShape(new Gpt(ModelTesting.tiny(positions)), IDS, new Shape(2, 5, 11));
        }
    }

    @Test
    void rotaryKeepsTheShapeOfQueriesAndKeys() {
        Shape perHead = new Shape(2, 2, 5, 4); // (B, nh, T, hs)
        try (NDManager manager = NDManager.newBaseManager()) {
            RotaryPositionalEncoding rotary = new RotaryPositionalEncoding(8, 4);
            initialize(rotary, manager, perHead, perHead);
            NDList out = rotary.forward(new ParameterStore(manager, false),
                    new NDList(manager.ones(perHead), manager.ones(perHead)), false);
            assertEquals(perHead, out.get(0).getShape());
            assertEquals(perHead, out.get(1).getShape());
        }
    }

    private static void assertShape(Block block, Shape input, Shape expected) {
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(block, manager, input);
            NDArray x = input.dimension() == 2
                    ? manager.arange(0, (int) input.size(), 1, DataType.INT32).mod(11).reshape(input)
                    : manager.randomNormal(input);
            assertEquals(expected, forward(block, manager, x, false).getShape(), block.getClass().getSimpleName());
            assertEquals(expected, block.getOutputShapes(new Shape[] {input})[0], block.getClass().getSimpleName());
        }
    }
}
