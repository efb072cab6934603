package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokenizer.Tokenizer;

/** Generation with a tiny randomly initialised GPT: the loop, not the quality of the text, is under test. */
class TextGeneratorTest {

    private static final int CONTEXT = 16;
    private static final CharTokenizer CHARS = CharTokenizer.fromText(GenerationTesting.TRAINING_TEXT);
    private static final SamplingSettings SETTINGS = SamplingSettings.DEFAULTS.withMaxNewTokens(25);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeModels() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void generatesExactlyMaxNewTokens() {
        TextGenerator generator = generator(model(CHARS.vocabSize()), CHARS);
        Generation generation = generator.generate("First", SETTINGS, text -> {});
        assertEquals(25, generation.newIds().length);
        assertArrayEquals(CHARS.encode("First"), generation.promptIds());
        assertEquals(CHARS.decode(generation.newIds()), generation.newText());
        assertFalse(generation.stoppedAtStopToken());
    }

    @Test
    void theSameSeedGivesTheSameText() {
        TextGenerator generator = generator(model(CHARS.vocabSize()), CHARS);
        String first = generator.generate("Speak", SETTINGS.withTopK(0), text -> {}).newText();
        String again = generator.generate("Speak", SETTINGS.withTopK(0), text -> {}).newText();
        String otherSeed = generator.generate("Speak", SETTINGS.withTopK(0).withSeed(99), text -> {}).newText();
        assertEquals(first, again);
        assertNotEquals(first, otherSeed);
    }

    /**
     * Greedy decoding, longer than the context: every new token must be the argmax of the model run directly on
     * the last CONTEXT tokens before it. The window is cropped (the model rejects longer inputs), and to the
     * right tokens.
     */
    @Test
    void greedyTakesTheModelsArgmaxOverTheLastContextTokens() {
        Model model = model(CHARS.vocabSize());
        TextGenerator generator = generator(model, CHARS);
        String prompt = "You are all resolved"; // 20 characters: more than the context already
        SamplingSettings greedy = SETTINGS.withTemperature(0).withMaxNewTokens(30);
        Generation generation = generator.generate(prompt, greedy, text -> {});
        assertArrayEquals(generation.newIds(), generator.generate(prompt, greedy, text -> {}).newIds());

        int[] all = concat(generation.promptIds(), generation.newIds());
        for (int i = generation.promptIds().length; i < all.length; i++) {
            int[] window = Arrays.copyOfRange(all, Math.max(0, i - CONTEXT), i);
            assertEquals(NextTokenSampler.argmax(lastLogits(model, window)), all[i], "token " + i);
        }
    }

    @Test
    void streamedPiecesMakeTheDecodedNewIds() {
        List<String> pieces = new ArrayList<>();
        Generation chars = generator(model(CHARS.vocabSize()), CHARS).generate("Le", SETTINGS, pieces::add);
        assertEquals(chars.newText(), String.join("", pieces));
        assertEquals(25, pieces.size(), "one character per token");

        // Byte-level BPE: a random model happily writes half characters; pieces still add up to the decoded text.
        BpeTokenizer bpe = GenerationTesting.smallBpe();
        pieces.clear();
        Generation bytes = generator(model(bpe.vocabSize()), bpe).generate("Très", SETTINGS.withMaxNewTokens(200),
                pieces::add);
        assertEquals(bpe.decode(bytes.newIds()), String.join("", pieces));
        assertTrue(pieces.stream().noneMatch(String::isEmpty));
    }

    /**
     * Each step's arrays live on a manager the predictor closes after the step. 2,000 tokens later the model's
     * manager (which counts the arrays of its sub-managers too) must hold as many arrays as after the first few.
     */
    @Test
    void longGenerationsLeaveNoArraysBehind() {
        Model model = model(CHARS.vocabSize());
        NDManager manager = model.getNDManager();
        int parametersOnly = manager.getManagedArrays().size();
        try (TextGenerator generator = new TextGenerator(model, config(CHARS.vocabSize()), CHARS)) {
            generator.generate("First", SETTINGS.withMaxNewTokens(5), text -> {}); // makes the cached causal mask
            int afterFirstSteps = manager.getManagedArrays().size();
            generator.generate("First", SETTINGS.withMaxNewTokens(2000), text -> {});
            assertEquals(afterFirstSteps, manager.getManagedArrays().size(), "arrays left by 2,000 steps");
        }
        assertEquals(parametersOnly, manager.getManagedArrays().size(), "arrays left by the closed generator");
    }

    @Test
    void promptIdsOutsideTheVocabularyNeverReachTheModel() {
        TextGenerator generator = generator(model(CHARS.vocabSize()), CHARS);
        List<String> pieces = new ArrayList<>();
        int tooLarge = CHARS.vocabSize();
        assertMessage("prompt token id " + tooLarge + " at position 1 is outside the vocabulary (ids 0.."
                + (tooLarge - 1) + ")", () -> generator.generate(new int[] {1, tooLarge}, SETTINGS, pieces::add));
        assertMessage("prompt token id -3 at position 0", () -> generator.generate(new int[] {-3}, SETTINGS, pieces::add));
        assertTrue(pieces.isEmpty());
    }

    @Test
    void anEmptyPromptStartsFromNewlineOrEndOfText() {
        Generation chars = generator(model(CHARS.vocabSize()), CHARS).generate("", SETTINGS, text -> {});
        assertArrayEquals(CHARS.encode("\n"), chars.promptIds());
        assertEquals(25, chars.newIds().length);

        BpeTokenizer gpt2Like = new BpeTrainer(300, 0, List.of("<|endoftext|>"), PreTokenizer.of(SplitPattern.GPT2),
                false).train(GenerationTesting.TRAINING_TEXT);
        Generation bpe = generator(model(gpt2Like.vocabSize()), gpt2Like).generate(new int[0], SETTINGS, text -> {});
        assertArrayEquals(new int[] {gpt2Like.specialTokens().get("<|endoftext|>")}, bpe.promptIds());

        CharTokenizer noNewline = CharTokenizer.fromText("abc");
        TextGenerator generator = generator(model(noNewline.vocabSize()), noNewline);
        assertMessage("give a prompt", () -> generator.generate("", SETTINGS, text -> {}));
        assertEquals(25, generator.generate("ab", SETTINGS, text -> {}).newIds().length);
    }

    @Test
    void theStopTokenEndsGenerationAndIsLeftOut() {
        TextGenerator generator = generator(model(CHARS.vocabSize()), CHARS);
        SamplingSettings greedy = SETTINGS.withTemperature(0);
        int[] unstopped = generator.generate("First", greedy, text -> {}).newIds();
        int stop = unstopped[3];
        int firstStop = Arrays.stream(unstopped).boxed().toList().indexOf(stop);

        Generation stopped = generator.generate("First", greedy.withStopToken(stop), text -> {});
        assertTrue(stopped.stoppedAtStopToken());
        assertArrayEquals(Arrays.copyOf(unstopped, firstStop), stopped.newIds());

        assertMessage("stop token id 500 is outside the vocabulary",
                () -> generator.generate("First", greedy.withStopToken(500), text -> {}));
    }

    @Test
    void aHugeMaxNewTokensAllocatesNothingUpFront() {
        // An array for the prompt plus Integer.MAX_VALUE ids cannot even be made; here the stop token ends it early.
        TextGenerator generator = generator(model(CHARS.vocabSize()), CHARS);
        SamplingSettings greedy = SETTINGS.withTemperature(0);
        int stop = generator.generate("First", greedy, text -> {}).newIds()[3];

        Generation generation = generator.generate("First",
                greedy.withMaxNewTokens(Integer.MAX_VALUE).withStopToken(stop), text -> {});

        assertTrue(generation.stoppedAtStopToken());
        assertTrue(generation.newIds().length <= 3, Arrays.toString(generation.newIds()));
    }

    @Test
    void aPaddedModelVocabularyNeverYieldsIdsTheTokenizerLacks() {
        int padded = CHARS.vocabSize() + 20;
        Generation generation = generator(model(padded), CHARS)
                .generate("First", SETTINGS.withTemperature(5).withTopK(0).withMaxNewTokens(300), text -> {});
        assertTrue(Arrays.stream(generation.newIds()).allMatch(id -> id < CHARS.vocabSize()));
    }

    @Test
    void aTokenizerLargerThanTheModelIsRejected() {
        Model model = model(CHARS.vocabSize() - 1);
        assertMessage("the tokenizer has " + CHARS.vocabSize() + " tokens but the model only " + (CHARS.vocabSize() - 1),
                () -> new TextGenerator(model, config(CHARS.vocabSize() - 1), CHARS));
    }

    @Test
    void aBareGptGeneratesLikeTheSameGptInAModel() {
        Model model = model(CHARS.vocabSize());
        String inModel = generator(model, CHARS).generate("First", SETTINGS, text -> {}).newText();
        try (TextGenerator bare = TextGenerator.forGpt((Gpt) model.getBlock(), CHARS)) {
            assertEquals(inModel, bare.generate("First", SETTINGS, text -> {}).newText());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** 2 layers of width 32 with 2 heads, context 16, learned positions, no dropout. */
    private static GptConfig config(int vocabSize) {
        return new GptConfig(vocabSize, CONTEXT, 2, 2, 32, 0.0, true, PositionalEncoding.LEARNED, true);
    }

    /** A randomly initialised GPT (fixed seed) inside a DJL model, as a checkpoint would load. */
    private Model model(int vocabSize) {
        Model model = Model.newInstance("tiny");
        toClose.add(model);
        Gpt gpt = new Gpt(config(vocabSize));
        model.setBlock(gpt);
        Engine.getInstance().setRandomSeed(5);
        gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, CONTEXT));
        return model;
    }

    private TextGenerator generator(Model model, Tokenizer tokenizer) {
        TextGenerator generator = new TextGenerator(model, ((Gpt) model.getBlock()).config(), tokenizer);
        toClose.add(0, generator); // closed before its model
        return generator;
    }

    /** The model's scores after {@code window}, computed without the generator. */
    private static float[] lastLogits(Model model, int[] window) {
        try (NDManager step = model.getNDManager().newSubManager()) {
            NDArray ids = step.create(window, new Shape(1, window.length));            // (1, T)
            NDArray logits = model.getBlock().forward(new ParameterStore(step, false), new NDList(ids), false)
                    .singletonOrThrow();                                                // (1, T, V)
            return logits.get(0, window.length - 1).toFloatArray();                    // (V)
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void assertMessage(String expected, Executable executable) {
        UserError error = assertThrows(UserError.class, executable);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
