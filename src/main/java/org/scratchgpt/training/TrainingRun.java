package org.scratchgpt.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.chat.ChatData;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.ConversationFiles;
import org.scratchgpt.checkpoint.FinetunedFrom;
import org.scratchgpt.checkpoint.InitialWeights;
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.lora.LoraCheckpoint;
import org.scratchgpt.lora.LoraModel;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.Gradients;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.optim.LossScaler;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.optim.WarmupCosineSchedule;
import org.scratchgpt.plan.PrecisionSupport;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import org.scratchgpt.tokens.RunData;
import org.scratchgpt.tokens.TokenFile;
import org.scratchgpt.tokens.TokenSequence;
import org.scratchgpt.tokens.TokenSplit;
import org.scratchgpt.tokens.TokenWindows;
import org.scratchgpt.tokens.TrainingBatches;
import org.scratchgpt.tokens.TuningData;

/**
 * A whole training run, nanoGPT's train.py in DJL: tokenize the corpus once, build the GPT and DJL's Trainer
 * (our AdamW with the warmup + cosine schedule, our loss), then loop. Every {@code eval_interval} steps, and at
 * the end, it measures train and val loss and writes a checkpoint ({@code latest/}, and {@code best/} when val
 * loss improved). Each step is {@link TrainingStep}. A run can be resumed exactly from any checkpoint.
 *
 * <p>Three ways in, one loop: {@link #start} (random weights), {@link #finetune} (another checkpoint's weights, a
 * fresh optimizer and schedule) and {@link #resume} (a checkpoint's weights, optimizer and place). They differ only
 * in {@link #loadWeights} and in what the loop restores; the data is prepared the same way ({@link #prepareTokens}).
 */
public final class TrainingRun {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingRun.class);

    /**
     * What to train: the model, the settings, the text, the tokenizer ("char" or a tokenizer.json), where, and
     * how: the precision and attention kernel, and whether to checkpoint activations, which trades a third more
     * arithmetic for much less memory ({@link ActivationCheckpointing}). {@code vocabSizeGiven}: the user set
     * vocab_size, so it is kept as given, never raised to fit the tokenizer.
     */
    public record Spec(String preset, GptConfig model, TrainingSettings training, Path corpus, String tokenizer,
            Path runDir, Device device, boolean showProgressBar, int logInterval, Compute compute,
            boolean checkpointActivations, boolean vocabSizeGiven, Path dataset) {
        /** A spec that trains on {@code corpus}; {@code dataset} (a prepared one, {@code train --dataset}) is null. */
        public Spec(String preset, GptConfig model, TrainingSettings training, Path corpus, String tokenizer,
                Path runDir, Device device, boolean showProgressBar, int logInterval, Compute compute,
                boolean checkpointActivations, boolean vocabSizeGiven) {
            this(preset, model, training, corpus, tokenizer, runDir, device, showProgressBar, logInterval, compute,
                    checkpointActivations, vocabSizeGiven, null);
        }

        /** A spec whose vocab_size is the preset's, free to grow to the tokenizer's size. */
        public Spec(String preset, GptConfig model, TrainingSettings training, Path corpus, String tokenizer,
                Path runDir, Device device, boolean showProgressBar, int logInterval, Compute compute,
                boolean checkpointActivations) {
            this(preset, model, training, corpus, tokenizer, runDir, device, showProgressBar, logInterval, compute,
                    checkpointActivations, false);
        }
    }

    /**
     * What guards the user's work: whether a fresh run may replace the checkpoints already in its folder (and a
     * resumed one a later latest/), and what tells the loop to stop early (Ctrl-C); and which snapshots of
     * attention to keep along the way.
     */
    public record RunControl(boolean overwrite, StopRequest stop, AttentionSnapshots.Plan attention) {
        public RunControl(boolean overwrite, StopRequest stop) {
            this(overwrite, stop, AttentionSnapshots.Plan.NONE);
        }

        public static RunControl defaults() {
            return new RunControl(false, StopRequest.manual());
        }
    }

    /**
     * How to continue a run: where, how it reports, which training fields change (e.g. a larger {@code max_iters}),
     * and, each as the checkpoint's run had it when empty, how it computes, whether it checkpoints activations,
     * and where its corpus now is (it must be the same text, recognised by its SHA-256), or its dataset, or an
     * instruction-tuning run's chat and validation files.
     */
    public record Continuation(Device device, boolean showProgressBar, int logInterval,
            Map<String, String> trainingOverrides, Optional<Compute> compute, Optional<Boolean> checkpointActivations,
            Optional<Path> corpus, Optional<Path> dataset, Optional<Path> chat, Optional<Path> chatVal) {
        /** A continuation whose conversation files, if any, are where the checkpoint says. */
        public Continuation(Device device, boolean showProgressBar, int logInterval,
                Map<String, String> trainingOverrides, Optional<Compute> compute,
                Optional<Boolean> checkpointActivations, Optional<Path> corpus, Optional<Path> dataset) {
            this(device, showProgressBar, logInterval, trainingOverrides, compute, checkpointActivations, corpus,
                    dataset, Optional.empty(), Optional.empty());
        }

        /** A continuation on the run's corpus, not a prepared dataset. */
        public Continuation(Device device, boolean showProgressBar, int logInterval,
                Map<String, String> trainingOverrides, Optional<Compute> compute,
                Optional<Boolean> checkpointActivations, Optional<Path> corpus) {
            this(device, showProgressBar, logInterval, trainingOverrides, compute, checkpointActivations, corpus,
                    Optional.empty());
        }
    }

    /** How the run ended; {@code stoppedBy} names the signal that stopped it early, or is null. */
    public record Summary(Path runDir, Evaluation.Result last, double bestValLoss, long steps, double trainingSeconds,
            long tokensSeen, String stoppedBy) {
        public double tokensPerSecond() {
            return tokensSeen / trainingSeconds;
        }

        public double valLoss() {
            return last.valLoss();
        }
    }

    private final Spec spec;
    private final Checkpoint.Contents resumeFrom; // null unless resuming
    private final InitialWeights initialWeights; // null unless fine-tuning
    private final LoraSettings lora; // null unless only LoRA adapters are trained, on a frozen base
    private final TuningData tuningData; // null unless instruction tuning (spec's corpus is then its chat file)
    private final RunControl control;

    private TrainingRun(Spec spec, Checkpoint.Contents resumeFrom, InitialWeights initialWeights, LoraSettings lora,
            TuningData tuningData,
            RunControl control) {
        this.spec = spec;
        this.resumeFrom = resumeFrom;
        this.initialWeights = initialWeights;
        this.lora = lora;
        this.tuningData = tuningData;
        this.control = control;
    }

    /** Trains from scratch, into a run folder that holds no checkpoints. */
    public static Summary start(Spec spec) throws IOException {
        return start(spec, RunControl.defaults());
    }

    /** Trains from scratch; a folder that already holds a trained model is refused unless {@code overwrite}. */
    public static Summary start(Spec spec, RunControl control) throws IOException {
        try (RunFolder folder = RunFolder.open(spec.runDir())) {
            repair(folder);
            folder.requireFreshStart(control.overwrite());
            return new TrainingRun(spec, null, null, null, null, control).run();
        }
    }

    /**
     * Fine-tunes: a fresh run (step 0, a fresh optimizer, {@code spec}'s own schedule and corpus) whose weights
     * start as {@code from}'s instead of random. {@code spec} must carry {@code from}'s model config and tokenizer.
     * Its checkpoints record {@code from} ({@link FinetunedFrom}); {@link #resume} continues it like any run.
     */
    public static Summary finetune(Spec spec, InitialWeights from, RunControl control) throws IOException {
        return finetune(spec, from, Optional.empty(), null, control);
    }

    /**
     * Fine-tunes all weights, or with {@code lora} only LoRA adapters beside the frozen weights of {@code from}
     * ({@link org.scratchgpt.lora.LoraModel}); a LoRA run's checkpoints hold the adapters and name {@code from} as
     * their base ({@link LoraCheckpoint}).
     */
    public static Summary finetune(Spec spec, InitialWeights from, Optional<LoraSettings> lora, RunControl control)
            throws IOException {
        return finetune(spec, from, lora, null, control);
    }

    /**
     * Fine-tunes on {@code data} (instruction tuning's conversations) instead of {@code spec}'s corpus, whose file
     * ({@code spec.corpus()}) is then only recorded; with the masked loss, and the tokenizer {@code data} makes.
     */
    public static Summary finetune(Spec spec, InitialWeights from, TuningData data, RunControl control) throws IOException {
        return finetune(spec, from, Optional.empty(), data, control);
    }

    /** Fine-tunes as above: all weights or LoRA adapters ({@code lora}), on spec's corpus or on {@code data}. */
    public static Summary finetune(Spec spec, InitialWeights from, Optional<LoraSettings> lora, TuningData data,
            RunControl control) throws IOException {
        if (lora.isPresent() && data != null) {
            throw new UserError("--lora and --chat together are not supported yet: instruction tuning adds tokens to"
                    + " the vocabulary, which the frozen base of a LoRA run cannot take; leave out --lora to tune all"
                    + " weights, or use --corpus");
        }
        from.requireOutside(spec.runDir());
        try (RunFolder folder = RunFolder.open(spec.runDir())) {
            repair(folder);
            folder.requireFreshStart(control.overwrite());
            return new TrainingRun(spec, null, from, lora.orElse(null), data, control).run();
        }
    }

    /**
     * Continues the run a checkpoint belongs to, from where it stopped, with the same data, settings and random
     * numbers; {@code trainingOverrides} may extend it (e.g. a larger {@code max_iters}).
     */
    public static Summary resume(Path checkpoint, Device device, boolean showProgressBar, int logInterval,
            Map<String, String> trainingOverrides) throws IOException {
        return resume(checkpoint, new Continuation(device, showProgressBar, logInterval, trainingOverrides,
                Optional.empty(), Optional.empty(), Optional.empty()), RunControl.defaults());
    }

    /**
     * The same, as {@code how} says. The run folder is the checkpoint's parent; it is locked and repaired before
     * the checkpoint is read, so a checkpoint whose swap a crash cut short is whole again first.
     */
    public static Summary resume(Path checkpoint, Continuation how, RunControl control) throws IOException {
        Checkpoint.requireNotRunFolder(checkpoint);
        Path runDir = checkpoint.toAbsolutePath().getParent();
        try (RunFolder folder = RunFolder.open(runDir)) {
            repair(folder);
            Checkpoint.Contents contents = Checkpoint.read(checkpoint);
            folder.requireResumable(checkpoint, contents.state().step(), control.overwrite());
            Checkpoint.RunState state = contents.state();
            TuningData conversations = conversationsToResume(state, how);
            RunData.Sources data = conversations != null ? new RunData.Sources(Path.of(conversations.files().chat()), null)
                    : RunData.toResume(state, how.corpus(), how.dataset());
            Spec spec = new Spec(state.preset(), contents.model(), contents.training().withOverrides(how.trainingOverrides()),
                    data.corpus(), checkpoint.resolve(Checkpoint.TOKENIZER).toString(), runDir,
                    how.device(), how.showProgressBar(), how.logInterval(), how.compute().orElse(state.compute()),
                    how.checkpointActivations().orElse(state.checkpointActivations()), false, data.dataset());
            LoraSettings lora = LoraCheckpoint.settingsIn(checkpoint).orElse(null); // a LoRA run stays one
            return new TrainingRun(spec, contents, null, lora, conversations, control).run();
        }
    }

    /**
     * An instruction-tuning run's conversations, read again from the files its checkpoint records (or the same ones
     * given where they are now); null for a run on a corpus or dataset, which --chat and --chat-val cannot change.
     */
    private static TuningData conversationsToResume(Checkpoint.RunState state, Continuation how) throws IOException {
        if (state.conversations().isEmpty()) {
            if (how.chat().isPresent() || how.chatVal().isPresent()) {
                throw new UserError("--chat and --chat-val resume an instruction-tuning run, and this one trained on "
                        + (state.onDataset() ? "the dataset " + state.dataset() : "the corpus " + state.corpus())
                        + ": leave them out");
            }
            return null;
        }
        if (how.corpus().isPresent() || how.dataset().isPresent()) {
            throw new UserError("--corpus and --dataset cannot change a resumed instruction-tuning run: it learns from"
                    + " the conversations in " + state.conversations().get().chat() + "; leave them out (give --chat"
                    + " FILE if that file has moved)");
        }
        ConversationFiles.Found found = state.conversations().get().toResume(how.chat(), how.chatVal());
        return ChatData.read(found.chat(), found.chatVal());
    }

    private static void repair(RunFolder folder) throws IOException {
        for (String repair : folder.recover()) {
            LOG.warn("{}", repair);
        }
    }

    private Summary run() throws IOException {
        PrecisionSupport.check(spec.compute(), spec.device()).ifPresent(advice -> LOG.warn("{}", advice));
        Path tokenizerJson = spec.runDir().resolve(Checkpoint.TOKENIZER);
        Tokenizer tokenizer = prepareTokenizer(tokenizerJson);
        GptConfig config = withVocabularyOf(tokenizer);
        TrainingSettings settings = spec.training();
        int contextLength = config.contextLength();
        // Instruction tuning reads its conversations itself; its file is only recorded, like a corpus.
        RunData data = tuningData == null ? prepareTokens(tokenizerJson, tokenizer, contextLength)
                : RunData.recordedOnly(spec.corpus());
        double valBytesPerToken = tuningData == null ? bytesPerToken(data.val(), tokenizer)
                : tuningData.valBytesPerToken(tokenizer);

        Engine.getInstance().setRandomSeed((int) settings.seed()); // the same initial weights every time
        try (Model model = Model.newInstance("scratchgpt", spec.device())) {
            Gpt gpt = new Gpt(config, spec.compute());
            model.setBlock(lora == null ? gpt : LoraModel.adapt(gpt, lora));
            Shape batchShape = new Shape(settings.batchSize(), contextLength);
            loadWeights(model, batchShape, tokenizer);
            AdamW optimizer = settings.newOptimizer();
            long firstStep = resumeFrom == null ? 0 : resumeFrom.state().step();
            TrainingLog log = new TrainingLog(firstStep, settings.maxIters(), spec.showProgressBar(), spec.logInterval());
            // For loaded weights (resumed or fine-tuned) this keeps their values and marks them learnable (DJL's load
            // does not).
            LanguageModelLoss loss = tuningData == null ? new LanguageModelLoss() : LanguageModelLoss.masked();
            try (Trainer trainer = newTrainer(model, optimizer, loss, spec.device(), batchShape, log)) {
                TrainingBatches train = tuningData != null
                        ? tuningData.train(tokenizer, settings.batchSize(), contextLength, settings.seed())
                        : new TokenWindows(data.train(), settings.batchSize(), contextLength, Long.MAX_VALUE, settings.seed());
                TrainingBatches val = tuningData != null
                        ? tuningData.val(tokenizer, settings.batchSize(), contextLength, settings.seed())
                        : new TokenWindows(data.val(), settings.batchSize(), contextLength, 1, settings.seed());
                Loop loop = new Loop(model, trainer, optimizer, config, settings, tokenizerJson, data, train,
                        val, valBytesPerToken, log);
                if (resumeFrom != null) {
                    loop.restore(resumeFrom);
                }
                return loop.run();
            }
        }
    }

    /**
     * The training and validation tokens ({@link RunData}): a prepared dataset's shards, or the corpus encoded once
     * into the run's data/ folder ({@link TokenSplit}).
     * A text the tokenizer cannot encode stops the run here, before any training. A fine-tuning run's tokenizer is
     * its model's, which cannot be rebuilt, so its message says where the character is and how to change the text;
     * a new run's says to rebuild the tokenizer.
     */
    private RunData prepareTokens(Path tokenizerJson, Tokenizer tokenizer, int contextLength) throws IOException {
        try {
            return RunData.prepare(spec.corpus(), spec.dataset(), tokenizerJson, spec.runDir().resolve("data"),
                    contextLength);
        } catch (CharTokenizer.UnknownCharacter unknown) {
            if (initialWeights == null) {
                throw unknown;
            }
            throw UnencodableText.explain(unknown, spec.corpus(), CorpusText.readUtf8(spec.corpus()),
                    (CharTokenizer) tokenizer);
        }
    }

    /**
     * Where the weights come from: a resumed run's checkpoint, a fine-tuning run's source, or else the random
     * initialisation the seed fixed. Done before the Trainer exists: its ParameterStore keeps the arrays it first
     * sees, so weights loaded later would be ignored.
     */
    private void loadWeights(Model model, Shape batchShape, Tokenizer tokenizer) throws IOException {
        if (resumeFrom != null) {
            LoraCheckpoint.loadInto(model, resumeFrom, batchShape, Optional.empty()); // a whole model, or base + adapters
        } else if (initialWeights != null && lora != null) {
            LoraModel.loadBase(model, initialWeights.source().dir(), batchShape);    // frozen; A drawn, B = 0
        } else if (initialWeights != null && tuningData != null) {
            Checkpoint.Contents source = initialWeights.source(); // the tokenizer may have gained tokens
            VocabularyGrowth.loadWithNewTokens(model, source.dir(), source.model(), source.tokenizer().vocabSize(),
                    tokenizer.vocabSize(), batchShape);
        } else if (initialWeights != null) {
            initialWeights.loadInto(model, batchShape);
        }
    }

    /** What this run's checkpoints record as the start of their weights: a fine-tuning source, carried on by resumes. */
    private Optional<FinetunedFrom> finetunedFrom() {
        if (initialWeights != null) {
            return Optional.of(initialWeights.provenance());
        }
        return resumeFrom != null ? resumeFrom.state().finetunedFrom() : Optional.empty();
    }

    /**
     * DJL's Trainer for the model: our loss and optimizer, and no initializer of the config's own, so the GPT-2
     * initialisation that the model's blocks set stays in force. Initialised for batches of {@code batchShape}.
     */
    public static Trainer newTrainer(Model model, AdamW optimizer, Device device, Shape batchShape,
            ai.djl.training.listener.TrainingListener... listeners) {
        return newTrainer(model, optimizer, new LanguageModelLoss(), device, batchShape, listeners);
    }

    /** The same with {@code loss}: the masked one for instruction tuning. */
    public static Trainer newTrainer(Model model, AdamW optimizer, LanguageModelLoss loss, Device device,
            Shape batchShape, ai.djl.training.listener.TrainingListener... listeners) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer).optDevices(new Device[] {device}).addTrainingListeners(listeners);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(batchShape);
        return trainer;
    }

    /**
     * Training steps on a token file, exactly as the loop runs them, for {@code scratchgpt bench train}: each call
     * of the returned action is one step (accumulation, clipping and the update included).
     */
    public static Runnable benchmarkSteps(Trainer trainer, Path tokenFile, TrainingSettings settings,
            boolean checkpointActivations) throws IOException {
        int contextLength = ((Gpt) trainer.getModel().getBlock()).config().contextLength();
        TokenWindows windows = new TokenWindows(TokenFile.open(tokenFile), settings.batchSize(), contextLength,
                Long.MAX_VALUE, settings.seed());
        return () -> {
            TrainingStep.forwardBackward(trainer, windows, settings.accumulationSteps(), settings.gradClip(),
                    settings.seed(), checkpointActivations);
            trainer.step();
        };
    }

    /**
     * Puts the run's tokenizer at {@code target} (built from the corpus for "char", else a copy of the given
     * file, the checkpoint's own when resuming) and returns it.
     */
    private Tokenizer prepareTokenizer(Path target) throws IOException {
        if ("char".equals(spec.tokenizer())) {
            Tokenizer chars = CharTokenizer.fromText(CorpusText.readUtf8(spec.corpus()));
            TokenizerJson.save(chars, target);
            return chars;
        }
        Path source = Path.of(spec.tokenizer());
        Tokenizer loaded = TokenizerJson.load(source); // fails with a clear message when missing or malformed
        if (tuningData != null && resumeFrom == null) { // a resumed run's tokenizer has its chat tokens already
            Tokenizer tuned = tuningData.tokenizer(loaded);
            TokenizerJson.save(tuned, target);
            return tuned;
        }
        if (!source.toAbsolutePath().equals(target.toAbsolutePath())) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return loaded;
    }

    /**
     * The model's vocabulary must hold every token id. A char-level preset's vocab_size is a placeholder, so it
     * grows to the tokenizer's size; a larger vocab_size (padding, e.g. GPT-2's 50304) is kept. One the user gave
     * is never changed behind their back: too small, it is an error.
     */
    private GptConfig withVocabularyOf(Tokenizer tokenizer) {
        GptConfig config = spec.model();
        if (tuningData != null && resumeFrom == null) {
            return VocabularyGrowth.configFor(config, tokenizer.vocabSize()); // grown only without spare rows
        }
        if (resumeFrom != null || initialWeights != null || tokenizer.vocabSize() <= config.vocabSize()) {
            return config;
        }
        if (spec.vocabSizeGiven()) {
            throw new UserError("vocab_size " + config.vocabSize() + " is smaller than the tokenizer, which has "
                    + tokenizer.vocabSize() + " tokens: set vocab_size to at least " + tokenizer.vocabSize()
                    + ", or leave it out to take the tokenizer's size");
        }
        return config.withOverrides(Map.of("vocab_size", Integer.toString(tokenizer.vocabSize())));
    }

    /** Bytes per token on the validation split, for bits per byte (first million tokens at most). */
    private static double bytesPerToken(TokenSequence tokens, Tokenizer tokenizer) {
        int count = (int) Math.min(tokens.size(), 1_000_000);
        return (double) tokenizer.decodeBytes(tokens.read(0, count)).length / count;
    }

    /** The loop and its state, kept apart from the set-up above. */
    private final class Loop {
        private final Model model;
        private final Trainer trainer;
        private final AdamW optimizer;
        private final GptConfig config;
        private final TrainingSettings settings;
        private final Path tokenizerJson;
        private final RunData data;
        private final TrainingBatches train;
        private final TrainingBatches val;
        private final double valBytesPerToken;
        private final TrainingLog log;
        private final MetricsLog metrics;
        private final WarmupCosineSchedule schedule;
        private long step;
        private double bestValLoss = Double.POSITIVE_INFINITY;
        private long tokensSeen;
        private double trainingSeconds;
        private long lastCheckpointStep = -1;
        private Evaluation.Result lastEvaluation;
        private LossScaler lossScaler;

        Loop(Model model, Trainer trainer, AdamW optimizer, GptConfig config, TrainingSettings settings,
                Path tokenizerJson, RunData data, TrainingBatches train, TrainingBatches val, double valBytesPerToken,
                TrainingLog log) {
            this.model = model;
            this.trainer = trainer;
            this.optimizer = optimizer;
            this.config = config;
            this.settings = settings;
            this.tokenizerJson = tokenizerJson;
            this.data = data;
            this.train = train;
            this.val = val;
            this.valBytesPerToken = valBytesPerToken;
            this.log = log;
            this.metrics = new MetricsLog(spec.runDir().resolve(Checkpoint.METRICS));
            this.schedule = settings.schedule();
            this.lossScaler = spec.compute().precision() == Precision.FP16 ? LossScaler.dynamic() : LossScaler.off();
        }

        /** Puts back the optimizer, the data sampler, the counters and the metrics of a checkpoint (weights: above). */
        void restore(Checkpoint.Contents checkpoint) throws IOException {
            Checkpoint.loadOptimizer(optimizer, model, checkpoint.dir());
            Checkpoint.RunState state = checkpoint.state();
            train.restoreSampler(state.samplerState());
            step = state.step();
            bestValLoss = state.bestValLoss();
            tokensSeen = state.tokensSeen();
            trainingSeconds = state.trainingSeconds();
            lastCheckpointStep = step;
            if (lossScaler.enabled() && state.lossScale() > 0) {
                lossScaler = LossScaler.restored(state.lossScale(), state.lossScaleGoodSteps());
            }
            // The run's metrics continue from the checkpoint's copy: lines written after it belong to the lost part.
            if (Files.exists(checkpoint.dir().resolve(Checkpoint.METRICS))) {
                Path saved = Checkpoint.verifiedMetrics(checkpoint.dir());
                if (!saved.toAbsolutePath().equals(metrics.file().toAbsolutePath())) {
                    Files.copy(saved, metrics.file(), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        Summary run() throws IOException {
            long firstStep = step;
            if (firstStep == 0) {
                Files.deleteIfExists(metrics.file());
            }
            AttentionSnapshots snapshots = AttentionSnapshots.forRun(control.attention(), model, tokenizerJson,
                    spec.runDir());
            trainer.notifyListeners(listener -> listener.onTrainingBegin(trainer));
            try {
                for (; ; step++) {
                    if (control.stop().stopsBefore(step)) {
                        if (step > firstStep && step != lastCheckpointStep) {
                            writeCheckpoint(lastEvaluation); // the steps since the last evaluation are kept
                        }
                        break;
                    }
                    boolean evaluateNow = step % settings.evalInterval() == 0 || step == settings.maxIters();
                    snapshots.atStep(step, evaluateNow);
                    if (evaluateNow && !(step == firstStep && lastCheckpointStep == step)) {
                        lastEvaluation = evaluate();
                        writeCheckpoint(lastEvaluation);
                    }
                    if (step >= settings.maxIters()) {
                        break;
                    }
                    trainOneStep();
                }
            } finally {
                trainer.notifyListeners(listener -> listener.onTrainingEnd(trainer));
            }
            if (lastEvaluation == null) { // resumed at the very end, or stopped first: report the model as it is
                lastEvaluation = Evaluation.run(trainer, step, train, val, settings.evalIters(), valBytesPerToken);
            }
            return new Summary(spec.runDir(), lastEvaluation, bestValLoss, step, trainingSeconds, tokensSeen,
                    control.stop().cause());
        }

        private void trainOneStep() throws IOException {
            long start = System.nanoTime();
            // Dropout's random masks depend only on the step number, so a resumed run draws the same ones.
            TrainingStep.Result result = TrainingStep.forwardBackward(trainer, train, settings.accumulationSteps(),
                    settings.gradClip(), settings.seed() + step, spec.checkpointActivations(), lossScaler);
            if (!result.isFinite() && lossScaler.enabled()) {
                // float16 overflowed somewhere: skip this step's update and retry the next with a smaller scale.
                Gradients.zero(model.getBlock().getParameters());
                lossScaler.afterOverflow(step);
                metrics.skipped(step, result, lossScaler.scale());
                return;
            }
            if (!result.isFinite()) {
                throw diverged(result);
            }
            trainer.step();
            lossScaler.afterGoodStep();
            double seconds = (System.nanoTime() - start) / 1e9;
            long tokens = settings.tokensPerStep(config.contextLength());
            tokensSeen += tokens;
            trainingSeconds += seconds;
            double learningRate = schedule.learningRate((int) step);
            metrics.step(step, result, learningRate, tokens / seconds, seconds * 1000,
                    model.getNDManager().getManagedArrays().size());
            log.step(step, result, learningRate, tokens / seconds);
        }

        private Evaluation.Result evaluate() throws IOException {
            Evaluation.Result eval = Evaluation.run(trainer, step, train, val, settings.evalIters(), valBytesPerToken);
            metrics.evaluation(eval);
            log.evaluation(eval);
            return eval;
        }

        /**
         * Writes latest/ for the current step, and best/ when {@code eval} is of this step and improved on the
         * best val loss. {@code eval} is the last evaluation (perhaps of an earlier step, for a run stopped between
         * evaluations; null when there was none), for the model card.
         */
        private void writeCheckpoint(Evaluation.Result eval) throws IOException {
            boolean improved = eval != null && eval.step() == step && eval.valLoss() < bestValLoss;
            if (eval != null && eval.step() == step) {
                bestValLoss = Math.min(bestValLoss, eval.valLoss());
            }
            Checkpoint.RunState state = new Checkpoint.RunState(step, train.samplerState(), bestValLoss, tokensSeen,
                    trainingSeconds, spec.preset(), data.corpus(), data.corpusSha256(), spec.compute(),
                    lossScaler.enabled() ? lossScaler.scale() : 0, lossScaler.goodSteps(), spec.checkpointActivations(),
                    data.dataset(), data.datasetSha256(), finetunedFrom(),
                    tuningData == null ? Optional.empty() : Optional.of(tuningData.files()));
            String card = ModelCard.of(config, settings, state, eval, ((Gpt) model.getBlock()).parameterCount());
            Checkpoint.Writer checkpoint = Checkpoint.writer(model, config, settings)
                    .weights(lora == null ? Checkpoint.WHOLE_MODEL : LoraCheckpoint.ADAPTERS_ONLY)
                    .tokenizer(tokenizerJson).optimizer(optimizer).state(state).metrics(metrics.file())
                    .forPeople(dir -> forPeople(dir, card));
            Path latest = spec.runDir().resolve(RunFolder.LATEST);
            try {
                AtomicFiles.replaceDirectory(latest, checkpoint::writeInto);
                lastCheckpointStep = step;
                if (improved) {
                    AtomicFiles.replaceDirectory(spec.runDir().resolve(RunFolder.BEST), dir -> copyFolder(latest, dir));
                }
            } catch (IOException e) {
                throw checkpointNotWritten(e);
            }
        }

        /** The loss plot (from the checkpoint's copy of the metrics) and the model card. */
        private void forPeople(Path dir, String card) throws IOException {
            if (Files.exists(dir.resolve(Checkpoint.METRICS))) {
                LossPlot.write(dir.resolve(Checkpoint.PLOT), spec.preset() + ": loss",
                        new MetricsLog(dir.resolve(Checkpoint.METRICS)).evaluations());
            }
            Files.writeString(dir.resolve(Checkpoint.CARD), card, java.nio.charset.StandardCharsets.UTF_8);
        }

        /**
         * A checkpoint that could not be written (a full disk, a folder made read-only): the swap leaves the last
         * complete one in place, so the message says which one is intact and how to go on from it.
         */
        private UserError checkpointNotWritten(IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
                    ? fs.getReason() : e.getMessage();
            Path latest = spec.runDir().resolve(RunFolder.LATEST);
            String what = "could not write the checkpoint of step " + step + " into " + spec.runDir() + " (" + reason + ")";
            if (lastCheckpointStep < 0) {
                return new UserError(what + ": no checkpoint of this run was written yet; make room (or fix the folder)"
                        + " and run the same command again", e);
            }
            return new UserError(what + ": the last complete checkpoint, " + latest + " at step " + lastCheckpointStep
                    + ", is intact; make room (or fix the folder) and continue with `scratchgpt train --resume " + latest
                    + "`", e);
        }

        private UserError diverged(TrainingStep.Result result) {
            return new UserError(String.format(java.util.Locale.ROOT, "training diverged at step %d: the loss is %s and"
                    + " the gradient norm %s, so the weights were not updated. The last good checkpoint is %s (step %d):"
                    + " resume from it with a lower learning_rate (now %g) or grad_clip, e.g. `scratchgpt train --resume"
                    + " %s --set learning_rate=%g`", step, result.loss(), result.gradientNorm(),
                    spec.runDir().resolve("latest"), lastCheckpointStep, settings.learningRate(),
                    spec.runDir().resolve("latest"), settings.learningRate() / 3));
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

}
