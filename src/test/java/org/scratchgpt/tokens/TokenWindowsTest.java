package org.scratchgpt.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.model.TokenEmbedding;
import org.scratchgpt.tokens.TokenFileTest;

class TokenWindowsTest {
    private static final int B = 4;
    private static final int T = 8;

    @TempDir Path dir;
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void batchIsBWindowsOfTIdsAsInt32() throws IOException {
        TokenWindows windows = new TokenWindows(countingFile(1000), B, T, 10, 1);

        try (Batch batch = windows.nextBatch(manager)) {
            NDArray x = batch.getData().singletonOrThrow();
            NDArray y = batch.getLabels().singletonOrThrow();
            assertEquals(new Shape(B, T), x.getShape());
            assertEquals(new Shape(B, T), y.getShape());
            assertEquals(DataType.INT32, x.getDataType());
            assertEquals(DataType.INT32, y.getDataType());
            assertEquals(B, batch.getSize());
        }
    }

    @Test
    void eachRowIsAContiguousWindowAndItsLabelsAreTheNextTokens() throws IOException {
        // Token i has id i, so a window from start s is s, s+1, ... and its labels are each one more.
        TokenWindows windows = new TokenWindows(countingFile(1000), B, T, 10, 2);

        for (int n = 0; n < 20; n++) {
            try (Batch batch = windows.nextBatch(manager)) {
                int[][] x = rows(batch.getData().singletonOrThrow());
                int[][] y = rows(batch.getLabels().singletonOrThrow());
                for (int b = 0; b < B; b++) {
                    for (int t = 0; t < T; t++) {
                        assertEquals(x[b][0] + t, x[b][t], "window " + Arrays.toString(x[b]));
                        assertEquals(x[b][t] + 1, y[b][t], "labels " + Arrays.toString(y[b]));
                    }
                }
            }
        }
    }

    @Test
    void labelsAreTheInputsShiftedByOneOnRandomIds() throws IOException {
        TokenFile file = TokenFile.write(dir.resolve("random.bin"), TokenFileTest.randomIds(500, 65, 3), 65);
        TokenWindows windows = new TokenWindows(file, B, T, 10, 3);

        try (Batch batch = windows.nextBatch(manager)) {
            int[][] x = rows(batch.getData().singletonOrThrow());
            int[][] y = rows(batch.getLabels().singletonOrThrow());
            for (int b = 0; b < B; b++) {
                assertArrayEquals(Arrays.copyOfRange(x[b], 1, T), Arrays.copyOfRange(y[b], 0, T - 1));
            }
        }
    }

    @Test
    void windowsReachTheLastTokenButNeverPassIt() throws IOException {
        // 12 tokens and T = 8: starts 0..3, the last window's final label being token 11.
        TokenWindows windows = new TokenWindows(countingFile(12), B, T, 100, 4);
        Set<Integer> starts = new HashSet<>();

        for (Batch batch : windows.getData(manager)) {
            try (batch) {
                for (int[] row : rows(batch.getData().singletonOrThrow())) {
                    starts.add(row[0]);
                }
                for (int[] row : rows(batch.getLabels().singletonOrThrow())) {
                    assertTrue(row[T - 1] <= 11, "label past the end: " + Arrays.toString(row));
                }
            }
        }
        assertEquals(Set.of(0, 1, 2, 3), starts);
    }

    @Test
    void sameSeedGivesSameBatchesAndAnotherSeedDoesNot() throws IOException {
        TokenFile file = countingFile(10_000);

        List<int[][]> first = firstRows(new TokenWindows(file, B, T, 5, 7), 5);
        List<int[][]> again = firstRows(new TokenWindows(file, B, T, 5, 7), 5);
        List<int[][]> other = firstRows(new TokenWindows(file, B, T, 5, 8), 5);

        for (int i = 0; i < 5; i++) {
            assertArrayEquals(first.get(i), again.get(i));
        }
        assertFalse(Arrays.deepEquals(first.get(0), other.get(0)));
    }

    @Test
    void anEpochIsBatchesPerEpochAndTheNextContinuesTheSequence() throws IOException {
        TokenWindows windows = new TokenWindows(countingFile(10_000), B, T, 3, 9);
        List<Long> progress = new ArrayList<>();
        List<int[][]> epoch1 = new ArrayList<>();

        for (Batch batch : windows.getData(manager)) {
            try (batch) {
                progress.add(batch.getProgress());
                assertEquals(3, batch.getProgressTotal());
                epoch1.add(rows(batch.getData().singletonOrThrow()));
            }
        }
        List<int[][]> epoch2 = firstRows(windows, 3);

        assertEquals(List.of(0L, 1L, 2L), progress);
        assertEquals(3, epoch2.size());
        assertFalse(Arrays.deepEquals(epoch1.get(0), epoch2.get(0)), "a new epoch draws new windows");
        List<int[][]> sixInARow = firstRows(new TokenWindows(countingFile(10_000), B, T, 6, 9), 6);
        assertArrayEquals(sixInARow.get(3), epoch2.get(0));
    }

    @Test
    void restoredSamplerStateGivesTheSameNextBatch() throws IOException {
        TokenFile file = countingFile(10_000);
        TokenWindows original = new TokenWindows(file, B, T, 100, 11);
        for (int k = 0; k < 5; k++) {
            original.nextBatch(manager).close();
        }
        long saved = original.samplerState();
        int[][] expected = firstRows(original, 1).get(0);

        TokenWindows resumed = new TokenWindows(file, B, T, 100, 12345); // as after a restart
        resumed.restoreSampler(saved);

        assertArrayEquals(expected, firstRows(resumed, 1).get(0));
    }

    @Test
    void evaluationBatchesAreTheSameEveryTimeAndLeaveTrainingAlone() throws IOException {
        TokenWindows windows = new TokenWindows(countingFile(10_000), B, T, 100, 13);
        long trainingState = windows.samplerState();

        List<int[][]> first = collect(windows.evaluationBatches(manager, 4, 99));
        assertEquals(trainingState, windows.samplerState(), "evaluation must not move the training sequence");
        windows.nextBatch(manager).close(); // training goes on in between
        List<int[][]> second = collect(windows.evaluationBatches(manager, 4, 99));
        List<int[][]> otherSeed = collect(windows.evaluationBatches(manager, 4, 100));

        assertEquals(4, first.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(first.get(i), second.get(i));
        }
        assertFalse(Arrays.deepEquals(first.get(0), otherSeed.get(0)));
    }

    @Test
    void thousandBatchesLeaveNoArraysOnTheParentManager() throws IOException {
        TokenWindows windows = new TokenWindows(countingFile(10_000), B, T, 1000, 15);
        int before = manager.getManagedArrays().size();
        int whileOpen = -1;
        int batches = 0;

        for (Batch batch : windows.getData(manager)) {
            try (batch) {
                if (batches++ == 0) {
                    whileOpen = manager.getManagedArrays().size();
                }
            }
        }

        assertEquals(1000, batches);
        assertEquals(before + 2, whileOpen, "the count includes a batch's arrays while it is open");
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void batchFeedsTheModelsTokenEmbedding() throws IOException {
        TokenWindows windows = new TokenWindows(countingFile(1000), B, T, 1, 16);
        TokenEmbedding embedding = new TokenEmbedding(1000, 6);
        embedding.initialize(manager, DataType.FLOAT32, new Shape(B, T));

        try (Batch batch = windows.nextBatch(manager)) {
            NDArray vectors = embedding.forward(new ParameterStore(manager, false), batch.getData(), false)
                    .singletonOrThrow();                                             // (B, T, C)
            NDArray logProbabilities = manager.randomNormal(new Shape(B, T, 1000)).logSoftmax(-1);
            NDArray picked = logProbabilities.gather(batch.getLabels().singletonOrThrow().expandDims(2), 2);

            assertEquals(new Shape(B, T, 6), vectors.getShape());
            assertEquals(new Shape(B, T, 1), picked.getShape()); // the labels index the vocabulary axis
        }
    }

    @Test
    void fileTooShortForOneWindowIsAnError() throws IOException {
        TokenFile file = countingFile(T);

        UserError error = assertThrows(UserError.class, () -> new TokenWindows(file, B, T, 1, 1));

        assertTrue(error.getMessage().contains("holds 8 tokens"), error.getMessage());
        assertTrue(error.getMessage().contains("smaller context length"), error.getMessage());
    }

    @Test
    void sizesMustBePositive() throws IOException {
        TokenFile file = countingFile(100);

        assertThrows(UserError.class, () -> new TokenWindows(file, 0, T, 1, 1));
        assertThrows(UserError.class, () -> new TokenWindows(file, B, 0, 1, 1));
        assertThrows(UserError.class, () -> new TokenWindows(file, B, T, 0, 1));
    }

    @Test
    void prepareDoesNothing() throws Exception {
        new TokenWindows(countingFile(100), B, T, 1, 1).prepare();
    }

    /** A token file whose token i is the id i. */
    private TokenFile countingFile(int count) throws IOException {
        return TokenFile.write(dir.resolve("counting-" + count + ".bin"), IntStream.range(0, count).toArray(), count);
    }

    private List<int[][]> firstRows(TokenWindows windows, int count) {
        List<int[][]> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Batch batch = windows.nextBatch(manager)) {
                batches.add(rows(batch.getData().singletonOrThrow()));
            }
        }
        return batches;
    }

    private static List<int[][]> collect(Iterable<Batch> batches) {
        List<int[][]> rows = new ArrayList<>();
        for (Batch batch : batches) {
            try (batch) {
                rows.add(rows(batch.getData().singletonOrThrow()));
            }
        }
        return rows;
    }

    private static int[][] rows(NDArray array) {
        int[] flat = array.toIntArray();
        int[][] rows = new int[(int) array.getShape().get(0)][];
        int width = (int) array.getShape().get(1);
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return rows;
    }
}
