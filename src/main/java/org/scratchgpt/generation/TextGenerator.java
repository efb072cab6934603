package org.scratchgpt.generation;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.nn.Parameter;
import ai.djl.translate.TranslateException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * Writes text with a trained GPT, one token at a time, as nanoGPT's {@code generate} does: run the model on
 * the tokens so far (the last context_length of them), take its scores for the next token, pick one with a
 * {@link NextTokenSampler}, append it, repeat. Each token's text is handed to a callback as soon as it forms
 * whole characters, so a caller can print it while the rest is still being written.
 *
 * <p>The model runs through a DJL {@link Predictor} with a {@link NextTokenLogitsTranslator}: forward in
 * inference mode (no dropout; DJL's PyTorch engine records no gradients outside a {@code GradientCollector}),
 * with each step's arrays on a manager of their own that the predictor closes after the step. So a generation
 * of any length keeps the same number of arrays alive. Close the generator to free the predictor.
 *
 * <p>An empty prompt starts from one token, chosen as the models were trained to expect a new text to begin:
 * {@code <|endoftext|>} if the tokenizer has it (GPT-2 separates documents with it), else the newline token
 * (nanoGPT's default start for its character-level models). A tokenizer with neither needs a prompt.
 */
public final class TextGenerator implements AutoCloseable {

    private static final String END_OF_TEXT = "<|endoftext|>";

    private final GptConfig config;
    private final Tokenizer tokenizer;
    private final Predictor<int[], float[]> predictor;
    private final Model ownedModel; // made by forGpt and closed with the generator; null if the caller owns it

    /**
     * @param model a model whose block is a GPT with its parameters initialised or loaded
     * @param config that GPT's config (its context length and vocabulary size are used)
     * @param tokenizer the tokenizer the model was trained with
     */
    public TextGenerator(Model model, GptConfig config, Tokenizer tokenizer) {
        this(model, config, tokenizer, null);
    }

    private TextGenerator(Model model, GptConfig config, Tokenizer tokenizer, Model ownedModel) {
        if (model.getBlock() == null) {
            throw new IllegalArgumentException("the model has no block: set or load the GPT first");
        }
        checkVocabularies(tokenizer, config);
        this.config = config;
        this.tokenizer = tokenizer;
        this.predictor = model.newPredictor(new NextTokenLogitsTranslator());
        this.ownedModel = ownedModel;
    }

    /** A generator for a GPT block that is not inside a DJL {@link Model} (e.g. just trained); it wraps one. */
    public static TextGenerator forGpt(Gpt gpt, Tokenizer tokenizer) {
        Model model = Model.newInstance("scratchgpt", deviceOf(gpt));
        model.setBlock(gpt);
        try {
            return new TextGenerator(model, gpt.config(), tokenizer, model);
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
        int[] prompt = promptIds.length == 0 ? startIds() : promptIds.clone();
        checkIds(prompt);
        checkStopToken(settings);
        NextTokenSampler sampler = new NextTokenSampler(settings);
        TokenTextStream text = new TokenTextStream(tokenizer, onText);

        TokenHistory tokens = new TokenHistory(prompt); // prompt, then new ids: grows as they come
        boolean stopped = false;
        for (int generated = 0; generated < settings.maxNewTokens(); generated++) {
            int next = sampler.next(nextTokenLogits(tokens));
            if (settings.hasStopToken() && next == settings.stopToken()) {
                stopped = true;
                break;
            }
            tokens.append(next);
            text.accept(next);
        }
        text.finish();
        int[] newIds = tokens.from(prompt.length);
        return new Generation(prompt, newIds, tokenizer.decode(newIds), stopped);
    }

    /**
     * The model's scores for the token after {@code tokens}, seeing at most the last context_length of them: a
     * model with learned positions has no position beyond that. This re-runs the whole window every step; a KV
     * cache (a later issue) would keep each layer's keys and values from the steps before, so that only the
     * newest token has to go through the model here.
     */
    private float[] nextTokenLogits(TokenHistory tokens) {
        int[] window = tokens.last(config.contextLength());                // (T), T <= context_length
        float[] logits;
        try {
            logits = predictor.predict(window);                             // (V) of the model
        } catch (TranslateException e) {
            throw new IllegalStateException("the model failed to run on a window of " + window.length + " tokens", e);
        }
        // A model's vocabulary may be padded beyond the tokenizer's (nanoGPT pads GPT-2's 50257 to 50304 for
        // speed); those extra ids are no token, so they are never sampled.
        return Arrays.copyOf(logits, tokenizer.vocabSize());                // (V) of the tokenizer
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
        predictor.close();
        if (ownedModel != null) {
            ownedModel.close();
        }
    }
}
