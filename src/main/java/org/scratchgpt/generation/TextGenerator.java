package org.scratchgpt.generation;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * Writes text with a trained GPT, one token at a time, as nanoGPT's {@code generate} does: score the next token
 * with the model, pick one with a {@link NextTokenSampler}, append it, repeat. The model sees at most the last
 * context_length tokens. Each token's text is handed to a callback as soon as it forms whole characters, so a
 * caller can print it while the rest is still being written.
 *
 * <p>By default the scores come from {@link CachedScores}: the prompt runs through the model once and each step
 * only the newest token, against the keys and values kept from before (a KV cache). {@link UncachedScores}, which
 * runs the whole window every step, is the readable reference it is tested against, and stays available
 * ({@code sample --no-kv-cache}). Both run the model in inference mode (no dropout; DJL's PyTorch engine records
 * no gradients outside a {@code GradientCollector}), with each step's arrays on a manager of their own that is
 * closed after the step. So a generation of any length keeps the same number of arrays alive.
 *
 * <p>Several samples of one prompt run together as a batch (B = number of samples): one forward pass per step
 * serves them all. Sample i draws its tokens with seed + i, so it is the same whenever it is asked for again.
 *
 * <p>An empty prompt starts from one token, chosen as the models were trained to expect a new text to begin:
 * {@code <|endoftext|>} if the tokenizer has it (GPT-2 separates documents with it), else the newline token
 * (nanoGPT's default start for its character-level models). A tokenizer with neither needs a prompt.
 */
public final class TextGenerator implements AutoCloseable {

    private static final String END_OF_TEXT = "<|endoftext|>";

    private final Gpt gpt;
    private final Model model;
    private final Tokenizer tokenizer;
    private final boolean kvCache;
    private final Model ownedModel; // made by forGpt and closed with the generator; null if the caller owns it

    /**
     * A generator with a KV cache.
     *
     * @param model a model whose block is a GPT with its parameters initialised or loaded
     * @param config that GPT's config (its context length and vocabulary size are used)
     * @param tokenizer the tokenizer the model was trained with
     */
    public TextGenerator(Model model, GptConfig config, Tokenizer tokenizer) {
        this(model, config, tokenizer, true);
    }

    /** As above; {@code kvCache} false runs the whole window every step (the reference, and the benchmark's). */
    public TextGenerator(Model model, GptConfig config, Tokenizer tokenizer, boolean kvCache) {
        this(model, config, tokenizer, kvCache, null);
    }

    private TextGenerator(Model model, GptConfig config, Tokenizer tokenizer, boolean kvCache, Model ownedModel) {
        if (!(model.getBlock() instanceof Gpt block)) {
            throw new IllegalArgumentException("the model has no GPT block: set or load the GPT first");
        }
        checkVocabularies(tokenizer, config);
        this.gpt = block;
        this.model = model;
        this.tokenizer = tokenizer;
        this.kvCache = kvCache;
        this.ownedModel = ownedModel;
    }

    /** A generator for a GPT block that is not inside a DJL {@link Model} (e.g. just trained); it wraps one. */
    public static TextGenerator forGpt(Gpt gpt, Tokenizer tokenizer) {
        Model model = Model.newInstance("scratchgpt", deviceOf(gpt));
        model.setBlock(gpt);
        try {
            return new TextGenerator(model, gpt.config(), tokenizer, true, model);
        } catch (RuntimeException e) {
            model.close(); // nobody else holds it
            throw e;
        }
    }

    /**
     * Continues {@code prompt}; an empty prompt starts from the start token (see the class comment).
     * Special-token strings in the prompt, such as {@code <|endoftext|>}, become their ids, as in nanoGPT.
     *
     * @param onText receives the new text in pieces as it is generated; never an empty piece
     */
    public Generation generate(String prompt, SamplingSettings settings, Consumer<String> onText) {
        return generate(encodePrompt(prompt), settings, onText);
    }

    /**
     * {@code count} continuations of {@code prompt}, computed together as a batch of {@code count} sequences.
     *
     * @param onText for sample i, the consumer of its text pieces as they come
     */
    public List<Generation> generateSamples(String prompt, SamplingSettings settings, int count,
                                            IntFunction<Consumer<String>> onText) {
        return generateSamples(encodePrompt(prompt), settings, count, onText);
    }

    private int[] encodePrompt(String prompt) {
        try {
            return tokenizer.encodeWithSpecialTokens(prompt);
        } catch (CharTokenizer.UnknownCharacter e) {
            // The tokenizer's own advice (rebuild it) fits a corpus; a model's vocabulary is fixed, the prompt is not.
            throw new UserError("character " + e.position() + " of the prompt, " + e.character() + ", is not in this"
                    + " model's vocabulary of " + tokenizer.vocabSize() + " characters: change the prompt to use only"
                    + " characters of the text the model was trained on", e);
        }
    }

    /** Continues the ids of a prompt; an empty array starts from the start token. */
    public Generation generate(int[] promptIds, SamplingSettings settings, Consumer<String> onText) {
        return generateSamples(promptIds, settings, 1, sample -> onText).get(0);
    }

    /** {@code count} continuations of the ids of a prompt, one batch; sample i draws with seed + i. */
    public List<Generation> generateSamples(int[] promptIds, SamplingSettings settings, int count,
                                            IntFunction<Consumer<String>> onText) {
        if (count < 1) {
            throw new UserError("the number of samples must be 1 or more, got " + count);
        }
        int[] prompt = promptIds.length == 0 ? startIds() : promptIds.clone();
        checkIds(prompt);
        checkStopToken(settings);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(new Sample(prompt, settings.withSeed(settings.seed() + i), onText.apply(i)));
        }
        List<TokenHistory> streams = samples.stream().map(sample -> sample.tokens).toList();
        try (NextTokenScores scores = NextTokenScores.of(gpt, model.getNDManager(), kvCache)) {
            for (int step = 0; step < settings.maxNewTokens() && samples.stream().anyMatch(Sample::running); step++) {
                float[][] logits = scores.next(streams);                            // (B, V) of the model
                for (int i = 0; i < count; i++) {
                    // A model's vocabulary may be padded beyond the tokenizer's (nanoGPT pads GPT-2's 50257 to 50304
                    // for speed); those extra ids are no token, so they are never sampled.
                    samples.get(i).take(Arrays.copyOf(logits[i], tokenizer.vocabSize()), settings); // (V) of the tokenizer
                }
            }
        }
        return samples.stream().map(Sample::finish).toList();
    }

    /**
     * One stream of a batch: its sampler, its tokens so far, its text stream. A stream that met the stop token
     * keeps receiving the stop token so that every stream of the batch stays equally long; those are not output.
     */
    private final class Sample {
        private final int promptLength;
        private final NextTokenSampler sampler;
        private final TokenTextStream text;
        private final TokenHistory tokens;   // prompt, then new ids: grows as they come
        private int newTokens;
        private boolean stopped;

        Sample(int[] prompt, SamplingSettings settings, Consumer<String> onText) {
            this.promptLength = prompt.length;
            this.sampler = new NextTokenSampler(settings);
            this.text = new TokenTextStream(tokenizer, onText);
            this.tokens = new TokenHistory(prompt);
        }

        boolean running() {
            return !stopped;
        }

        void take(float[] logits, SamplingSettings settings) {
            if (stopped) {
                tokens.append(settings.stopToken());
                return;
            }
            int next = sampler.next(logits);
            tokens.append(next);
            if (settings.hasStopToken() && next == settings.stopToken()) {
                stopped = true;
                return;
            }
            newTokens++;
            text.accept(next);
        }

        Generation finish() {
            text.finish();
            int[] prompt = Arrays.copyOf(tokens.from(0), promptLength);
            int[] newIds = Arrays.copyOf(tokens.from(promptLength), newTokens);
            return new Generation(prompt, newIds, tokenizer.decode(newIds), stopped);
        }
    }

    private int[] startIds() {
        Integer endOfText = tokenizer.specialTokens().get(END_OF_TEXT);
        if (endOfText != null) {
            return new int[] {endOfText};
        }
        int[] newline = encodeIfKnown("\n");
        if (newline.length == 1) {
            return newline;
        }
        throw new UserError("an empty prompt starts from " + END_OF_TEXT + " or a newline, and this tokenizer has"
                + " neither: give a prompt, e.g. a word from the training text");
    }

    // A character-level tokenizer throws on a character that is not in its vocabulary.
    private int[] encodeIfKnown(String text) {
        try {
            return tokenizer.encode(text);
        } catch (CharTokenizer.UnknownCharacter unknown) {
            return new int[0];
        }
    }

    /** An id the model does not know would index past its embedding table, so it is stopped here. */
    private void checkIds(int[] prompt) {
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= tokenizer.vocabSize()) {
                throw new UserError("prompt token id " + prompt[i] + " at position " + i + " is outside the vocabulary"
                        + " (ids 0.." + (tokenizer.vocabSize() - 1) + "): were these ids made by another tokenizer?");
            }
        }
    }

    private void checkStopToken(SamplingSettings settings) {
        if (settings.hasStopToken() && settings.stopToken() >= tokenizer.vocabSize()) {
            throw new UserError("stop token id " + settings.stopToken() + " is outside the vocabulary (ids 0.."
                    + (tokenizer.vocabSize() - 1) + "): take it from the tokenizer, e.g. its " + END_OF_TEXT);
        }
    }

    private static void checkVocabularies(Tokenizer tokenizer, GptConfig config) {
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new UserError("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
                    + config.vocabSize() + " (vocab_size): use the tokenizer the model was trained with");
        }
    }

    private static Device deviceOf(Gpt gpt) {
        if (!gpt.isInitialized()) {
            throw new IllegalArgumentException("the GPT has no parameters yet: initialise it or load them first");
        }
        Parameter first = gpt.getParameters().valueAt(0);
        return first.getArray().getDevice();
    }

    @Override
    public void close() {
        if (ownedModel != null) {
            ownedModel.close();
        }
    }
}
