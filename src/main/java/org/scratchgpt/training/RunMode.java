package org.scratchgpt.training;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.FinetunedFrom;
import org.scratchgpt.checkpoint.InitialWeights;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.lora.LoraCheckpoint;
import org.scratchgpt.lora.LoraModel;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import org.scratchgpt.tokens.TuningData;

/**
 * The kind of a training run. Every run goes through one loop ({@link TrainingRun}); the five kinds differ only in
 * the answers they give it, each kind's in its own record below:
 *
 * <pre>
 *   kind               weights start as                   tokenizer                   learns from
 *   Pretraining        random (the seed's)                built from the corpus,      a corpus or dataset
 *                                                         or a given tokenizer.json
 *   FullFinetune       a checkpoint's                     the checkpoint's            a new corpus
 *   LoraFinetune       a checkpoint's, frozen, plus       the checkpoint's            a new corpus
 *                      adapters (the only weights
 *                      that train)
 *   InstructionTuning  a checkpoint's, plus rows for      the checkpoint's, plus      conversations (a loss on
 *                      the new tokens                     the chat template's tokens  the assistant's tokens)
 *   Resume             a checkpoint's, with its           the checkpoint's            what the run learnt from
 *                      optimizer, sampler and step
 * </pre>
 *
 * A fine-tuning kind starts at step 0 with a fresh optimizer, and its checkpoints name the checkpoint it started
 * from ({@link FinetunedFrom}). A resumed run stays the kind it was: a LoRA run still trains adapters only, an
 * instruction-tuning run still learns from its conversations.
 */
public sealed interface RunMode {

    /**
     * Refuses a run folder this run must not train in, before the folder is even made: a fine-tuning run's must
     * not hold the checkpoint it starts from.
     */
    default void checkRunFolder(Path runDir) {}

    /**
     * With the run folder locked: refuses to lose the work it holds. A run from step 0 would replace the trained
     * model there at its first evaluation (allowed with {@code overwrite}, which removes it now).
     */
    default void admit(RunFolder folder, boolean overwrite) throws IOException {
        folder.requireFreshStart(overwrite);
    }

    /** The run's tokenizer, saved at {@code target} (the run folder's tokenizer.json, which checkpoints copy). */
    Tokenizer prepareTokenizer(RunSpec spec, Path target) throws IOException;

    /** The model's shape: the spec's, with a vocabulary that holds every token of {@code tokenizer}. */
    GptConfig config(RunSpec spec, Tokenizer tokenizer);

    /** The LoRA adapters the model gets, which are then the only weights that train. */
    default Optional<LoraSettings> lora() {
        return Optional.empty();
    }

    /**
     * Gives {@code model} its first weights (or keeps the random ones the seed drew). Called before the trainer
     * exists: DJL's ParameterStore keeps the arrays it first sees, so weights loaded later would be ignored.
     */
    void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) throws IOException;

    /** What the run learns from, and with which loss. */
    Lessons lessons(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer, int contextLength)
            throws IOException;

    /** The checkpoint whose optimizer, data sampler and counters the run continues; none for a run from step 0. */
    default Optional<Checkpoint.Contents> continues() {
        return Optional.empty();
    }

    /** What the run's checkpoints record as the start of their weights. */
    default Optional<FinetunedFrom> finetunedFrom() {
        return Optional.empty();
    }

    /** Whether the run teaches the model to answer (instruction tuning): its result is talked with, not sampled. */
    default boolean learnsConversations() {
        return false;
    }

    /** How checkpoints hold the weights: a LoRA run's hold only its adapters (their base is {@link #finetunedFrom}). */
    default Checkpoint.WeightsWriter weightsWriter() {
        return lora().isPresent() ? LoraCheckpoint.ADAPTERS_ONLY : Checkpoint.WHOLE_MODEL;
    }

    /**
     * The fine-tuning run {@code scratchgpt finetune} asks for: of all weights, or with {@code lora} of adapters
     * only; on a corpus, or with {@code conversations} instruction tuning. Not both LoRA and conversations yet.
     */
    static RunMode finetune(InitialWeights from, Optional<LoraSettings> lora, Optional<TuningData> conversations) {
        if (lora.isPresent() && conversations.isPresent()) {
            throw new UserError("--lora and --chat together are not supported yet: instruction tuning adds tokens to"
                    + " the vocabulary, which the frozen base of a LoRA run cannot take; leave out --lora to tune all"
                    + " weights, or use --corpus");
        }
        if (conversations.isPresent()) {
            return new InstructionTuning(from, conversations.get());
        }
        return lora.isPresent() ? new LoraFinetune(from, lora.get()) : new FullFinetune(from);
    }

    /**
     * A new model: random weights, and a tokenizer built from the corpus ({@code "char"}) or given (a
     * tokenizer.json).
     *
     * @param tokenizer {@code "char"} or the path of a tokenizer.json
     * @param vocabSizeGiven the user set vocab_size: it is kept as given, never raised to fit the tokenizer
     */
    record Pretraining(String tokenizer, boolean vocabSizeGiven) implements RunMode {
        @Override
        public Tokenizer prepareTokenizer(RunSpec spec, Path target) throws IOException {
            if ("char".equals(tokenizer)) {
                Tokenizer chars = CharTokenizer.fromText(CorpusText.readUtf8(spec.corpus()));
                TokenizerJson.save(chars, target);
                return chars;
            }
            return copied(Path.of(tokenizer), target);
        }

        /**
         * A char-level preset's vocab_size is a placeholder, so it grows to the tokenizer's size; a larger vocab_size
         * (padding, e.g. GPT-2's 50304) is kept. One the user gave is never changed behind their back: too small, it
         * is an error.
         */
        @Override
        public GptConfig config(RunSpec spec, Tokenizer tokenizer) {
            GptConfig config = spec.model();
            if (tokenizer.vocabSize() <= config.vocabSize()) {
                return config;
            }
            if (vocabSizeGiven) {
                throw new UserError("vocab_size " + config.vocabSize() + " is smaller than the tokenizer, which has "
                        + tokenizer.vocabSize() + " tokens: set vocab_size to at least " + tokenizer.vocabSize()
                        + ", or leave it out to take the tokenizer's size");
            }
            return config.withOverrides(Map.of("vocab_size", Integer.toString(tokenizer.vocabSize())));
        }

        @Override
        public void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) {
            // The random initialisation the seed fixed: the trainer initialises the model.
        }

        @Override
        public Lessons lessons(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer, int contextLength)
                throws IOException {
            return Lessons.onText(spec, tokenizerJson, tokenizer, contextLength);
        }
    }

    /**
     * What every fine-tuning kind shares: it starts from a trained checkpoint ({@code from}), whose folder it must
     * not train into, and keeps that model's shape and tokenizer; its checkpoints name {@code from} as their start.
     */
    sealed interface Finetuning extends RunMode {
        InitialWeights from();

        @Override
        default void checkRunFolder(Path runDir) {
            from().requireOutside(runDir);
        }

        @Override
        default Tokenizer prepareTokenizer(RunSpec spec, Path target) throws IOException {
            return copied(from().source().dir().resolve(Checkpoint.TOKENIZER), target);
        }

        @Override
        default GptConfig config(RunSpec spec, Tokenizer tokenizer) {
            return spec.model(); // the source's shape, which its weights fix
        }

        @Override
        default Lessons lessons(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer, int contextLength)
                throws IOException {
            return textForAFixedTokenizer(spec, tokenizerJson, tokenizer, contextLength);
        }

        @Override
        default Optional<FinetunedFrom> finetunedFrom() {
            return Optional.of(from().provenance());
        }
    }

    /** Every weight of a trained model trains further, on a new corpus, with the model's own tokenizer. */
    record FullFinetune(InitialWeights from) implements Finetuning {
        @Override
        public void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) throws IOException {
            from.loadInto(model, batchShape);
        }
    }

    /**
     * A trained model's weights stay frozen; small LoRA adapters beside them learn the new corpus
     * ({@link LoraModel}). Its checkpoints hold the adapters only and name the base ({@link LoraCheckpoint}).
     */
    record LoraFinetune(InitialWeights from, LoraSettings adapters) implements Finetuning {
        @Override
        public Optional<LoraSettings> lora() {
            return Optional.of(adapters);
        }

        @Override
        public void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) throws IOException {
            LoraModel.loadBase(model, from.source().dir(), batchShape); // frozen; A drawn, B = 0
        }
    }

    /**
     * A trained model learns to answer: conversations rendered with the chat template, whose special tokens join the
     * tokenizer (and, without spare rows, the vocabulary: {@link VocabularyGrowth}); the loss counts only the
     * assistant's tokens. The spec's corpus is the chat file, only recorded.
     */
    record InstructionTuning(InitialWeights from, TuningData conversations) implements Finetuning {
        @Override
        public boolean learnsConversations() {
            return true;
        }

        @Override
        public Tokenizer prepareTokenizer(RunSpec spec, Path target) throws IOException {
            Tokenizer source = TokenizerJson.load(from.source().dir().resolve(Checkpoint.TOKENIZER));
            Tokenizer tuned = conversations.tokenizer(source);
            TokenizerJson.save(tuned, target);
            return tuned;
        }

        @Override
        public GptConfig config(RunSpec spec, Tokenizer tokenizer) {
            return VocabularyGrowth.configFor(spec.model(), tokenizer.vocabSize()); // grown only without spare rows
        }

        @Override
        public void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) throws IOException {
            Checkpoint.Contents source = from.source();
            VocabularyGrowth.loadWithNewTokens(model, source.dir(), source.model(), source.tokenizer().vocabSize(),
                    tokenizer.vocabSize(), batchShape);
        }

        @Override
        public Lessons lessons(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer, int contextLength)
                throws IOException {
            return Lessons.onConversations(conversations, spec.corpus(), tokenizer);
        }
    }

    /**
     * A run continued from its checkpoint, exactly where it stopped: the weights (a whole model, or a base and
     * adapters), the optimizer's moments, the data sampler, the counters and float16's loss scale. Its tokenizer
     * is the checkpoint's (chat tokens included), its config the checkpoint's, and it stays the kind it was.
     *
     * @param checkpoint the checkpoint, read once its run folder was locked
     * @param lora the adapters of a LoRA run's checkpoint
     * @param conversations an instruction-tuning run's conversations, read again from their files
     */
    record Resume(Checkpoint.Contents checkpoint, Optional<LoraSettings> lora, Optional<TuningData> conversations)
            implements RunMode {
        /** A resumed run writes latest/ at its next evaluation: it must not replace a later one. */
        @Override
        public void admit(RunFolder folder, boolean overwrite) {
            folder.requireResumable(checkpoint.dir(), checkpoint.state().step(), overwrite);
        }

        @Override
        public Tokenizer prepareTokenizer(RunSpec spec, Path target) throws IOException {
            return copied(checkpoint.dir().resolve(Checkpoint.TOKENIZER), target);
        }

        @Override
        public GptConfig config(RunSpec spec, Tokenizer tokenizer) {
            return spec.model();
        }

        @Override
        public void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) throws IOException {
            LoraCheckpoint.loadInto(model, checkpoint, batchShape, Optional.empty()); // a whole model, or base + adapters
        }

        @Override
        public Lessons lessons(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer, int contextLength)
                throws IOException {
            return conversations.isPresent() ? Lessons.onConversations(conversations.get(), spec.corpus(), tokenizer)
                    : Lessons.onText(spec, tokenizerJson, tokenizer, contextLength);
        }

        @Override
        public Optional<Checkpoint.Contents> continues() {
            return Optional.of(checkpoint);
        }

        @Override
        public boolean learnsConversations() {
            return conversations.isPresent();
        }

        /** A fine-tuning source, carried on by every resume. */
        @Override
        public Optional<FinetunedFrom> finetunedFrom() {
            return checkpoint.state().finetunedFrom();
        }
    }

    /** The tokenizer.json at {@code source}, checked by loading it, copied to {@code target}. */
    private static Tokenizer copied(Path source, Path target) throws IOException {
        Tokenizer loaded = TokenizerJson.load(source); // fails with a clear message when missing or malformed
        if (!source.toAbsolutePath().equals(target.toAbsolutePath())) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return loaded;
    }

    /**
     * The spec's text for a run whose tokenizer is its model's: that tokenizer cannot be rebuilt to take a new
     * character, so a text it cannot encode is explained (where the character is, how to change the text) instead
     * of the new run's advice to rebuild the tokenizer.
     */
    private static Lessons textForAFixedTokenizer(RunSpec spec, Path tokenizerJson, Tokenizer tokenizer,
            int contextLength) throws IOException {
        try {
            return Lessons.onText(spec, tokenizerJson, tokenizer, contextLength);
        } catch (CharTokenizer.UnknownCharacter unknown) {
            throw UnencodableText.explain(unknown, spec.corpus(), CorpusText.readUtf8(spec.corpus()),
                    (CharTokenizer) tokenizer);
        }
    }
}
