package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.model.ModelTesting.forward;
import static org.scratchgpt.model.ModelTesting.initialize;
import static org.scratchgpt.model.ModelTesting.maxAbsDifference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scratchgpt.UserError;

class GptTest {

    private static final int T = 8;
    private static final int[] TOKENS = {3, 1, 4, 1, 5, 9, 2, 6};

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void changingTokenTNeverChangesEarlierOutputs(PositionalEncoding positions) {
        int changed = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            Gpt gpt = new Gpt(ModelTesting.tiny(positions));
            initialize(gpt, manager, new Shape(1, T));
            int[] other = TOKENS.clone();
            other[changed] = 7;

            float[] before = forward(gpt, manager, manager.create(TOKENS, new Shape(1, T)), false).toFloatArray();
            float[] after = forward(gpt, manager, manager.create(other, new Shape(1, T)), false).toFloatArray();

            int vocab = gpt.config().vocabSize();
            for (int t = 0; t < T; t++) {
                double difference = maxAbsDifference(row(before, t, vocab), row(after, t, vocab));
                if (t < changed) {
                    assertEquals(0.0, difference, 1e-6, positions + ": position " + t + " saw a later token");
                } else if (t == changed) {
                    assertTrue(difference > 1e-4, positions + ": position " + t + " should see its own token");
                } else {
                    // At initialisation later positions move only a little (1e-6 with sinusoidal), but they move.
                    assertTrue(difference > 0, positions + ": position " + t + " should see token " + changed);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void backwardGivesEveryParameterAFiniteGradient(PositionalEncoding positions) {
        // Untied for rotary, to cover the head that owns its matrix; dropout on, to cover training mode.
        GptConfig config = ModelTesting.tiny(positions).withOverrides(Map.of(
                "dropout", "0.1", "tied_embeddings", Boolean.toString(positions != PositionalEncoding.ROTARY)));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            Gpt gpt = new Gpt(config);
            initialize(gpt, manager, new Shape(2, T));
            NDArray ids = manager.create(new int[][] {TOKENS, {0, 2, 4, 6, 8, 10, 1, 3}});
            NDArray targets = manager.create(new int[][] {{1, 4, 1, 5, 9, 2, 6, 5}, {2, 4, 6, 8, 10, 1, 3, 5}});

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = gpt.forward(new ParameterStore(manager, false), new NDList(ids), true)
                        .singletonOrThrow();                                            // (B, T, V)
                NDArray logProbabilities = logits.logSoftmax(-1);                       // (B, T, V)
                NDArray picked = logProbabilities.gather(targets.expandDims(2), 2);     // (B, T, 1)
                collector.backward(picked.mean().neg());                                // cross-entropy
            }

            for (Pair<String, Parameter> named : gpt.getParameters()) {
                NDArray gradient = named.getValue().getArray().getGradient();
                assertTrue(gradient.isInfinite().logicalOr(gradient.isNaN()).none().getBoolean(),
                        named.getKey() + " has a non-finite gradient");
                assertTrue(gradient.abs().sum().getFloat() > 0, named.getKey() + " got no gradient at all");
            }
        }
    }

    /**
     * A training loop runs millions of forward passes with the model's manager alive throughout; any array a
     * pass leaves on it (a slice of a parameter, a mask) would never be freed. Each pass here runs on a
     * sub-manager that is then closed, and the model's manager must hold no more arrays than before.
     */
    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void forwardPassLeavesNothingOnTheModelsManager(PositionalEncoding positions) {
        try (NDManager model = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(ModelTesting.tiny(positions).withOverrides(Map.of("dropout", "0.1")));
            initialize(gpt, model, new Shape(1, T));
            ParameterStore store = new ParameterStore(model, false);
            runOnce(gpt, store, model); // the first pass makes the cached constants (mask, sine tables)
            int before = model.getManagedArrays().size();
            runOnce(gpt, store, model);
            runOnce(gpt, store, model);
            assertEquals(before, model.getManagedArrays().size(), positions + ": arrays left on the model's manager");
        }
    }

    private static void runOnce(Gpt gpt, ParameterStore store, NDManager model) {
        try (NDManager step = model.newSubManager()) {
            NDArray ids = step.create(TOKENS, new Shape(1, T));
            gpt.forward(store, new NDList(ids), true).singletonOrThrow().sum().getFloat();
        }
    }

    @ParameterizedTest
    @EnumSource(PositionalEncoding.class)
    void savedParametersLoadIntoAFreshModel(PositionalEncoding positions) throws Exception {
        GptConfig config = ModelTesting.tiny(positions);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(config);
            initialize(gpt, manager, new Shape(1, T));
            gpt.saveParameters(new DataOutputStream(saved));
            expected = forward(gpt, manager, manager.create(TOKENS, new Shape(1, T)), false).toFloatArray();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt loaded = new Gpt(config);
            loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            float[] actual = forward(loaded, manager, manager.create(TOKENS, new Shape(1, T)), false).toFloatArray();
            assertArrayEquals(expected, actual, 0f);
        }
    }

    @Test
    void dropoutActsOnlyWhileTraining() {
        GptConfig config = ModelTesting.tiny(PositionalEncoding.LEARNED).withOverrides(Map.of("dropout", "0.5"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(config);
            initialize(gpt, manager, new Shape(1, T));
            NDArray ids = manager.create(TOKENS, new Shape(1, T));
            float[] evaluation = forward(gpt, manager, ids, false).toFloatArray();
            assertArrayEquals(evaluation, forward(gpt, manager, ids, false).toFloatArray(), 0f);
            assertTrue(maxAbsDifference(evaluation, forward(gpt, manager, ids, true).toFloatArray()) > 1e-3);
        }
    }

    @Test
    void tiedHeadReusesTheEmbeddingMatrix() {
        GptConfig tied = ModelTesting.tiny(PositionalEncoding.LEARNED);
        GptConfig untied = tied.withOverrides(Map.of("tied_embeddings", "false"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt tiedGpt = new Gpt(tied);
            Gpt untiedGpt = new Gpt(untied);
            initialize(tiedGpt, manager, new Shape(1, T));
            initialize(untiedGpt, manager, new Shape(1, T));
            assertEquals(untiedGpt.parameterCount() - 11 * 8, tiedGpt.parameterCount());
            assertTrue(tiedGpt.getParameters().keys().stream().noneMatch(name -> name.contains("head")));
            assertTrue(untiedGpt.getParameters().keys().stream().anyMatch(name -> name.contains("head_weight")));
        }
    }

    @Test
    void rejectsSequencesLongerThanTheContext() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = new Gpt(ModelTesting.tiny(PositionalEncoding.LEARNED));
            initialize(gpt, manager, new Shape(1, T));
            UserError error = assertThrows(UserError.class,
                    () -> forward(gpt, manager, manager.zeros(new Shape(1, T + 1), DataType.INT32), false));
            assertTrue(error.getMessage().contains("9 tokens is longer than context_length 8"), error.getMessage());
            assertThrows(UserError.class, () -> forward(gpt, manager, manager.create(TOKENS), false));
        }
    }

    @Test
    void parameterCountNeedsShapes() {
        Gpt uninitialised = new Gpt(ModelTesting.tiny(PositionalEncoding.LEARNED));
        assertFalse(uninitialised.isInitialized());
        assertThrows(IllegalStateException.class, uninitialised::parameterCount);
    }

    private static float[] row(float[] logits, int t, int vocab) {
        return Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab);
    }
}
