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
import org.scratchgpt.checkpoint.RunFolder;
import org.scratchgpt.checkpoint.RunState;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.lora.LoraCheckpoint;
import org.scratchgpt.lora.LoraModel;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.Gradients;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.optim.LossScaler;
import org.scratchgpt.optim.ScheduleFollowsLength;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.optim.WarmupCosineSchedule;
import org.scratchgpt.plan.PrecisionSupport;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokens.RunData;
import org.scratchgpt.tokens.TokenFile;
import org.scratchgpt.tokens.TokenWindows;
import org.scratchgpt.tokens.TrainingBatches;
import org.scratchgpt.tokens.TuningData;

/**
 * A whole training run, nanoGPT's train.py in DJL: tokenize the corpus once, build the GPT and DJL's Trainer
 * (our AdamW with the warmup + cosine schedule, our loss), then loop. Every {@code eval_interval} steps, and at
 * the end, it measures train and val loss and writes a checkpoint ({@code latest/}, and {@code best/} when val
 * loss improved). Each step is {@link TrainingStep}. A run can be resumed exactly from any checkpoint.
 *
 * <p>One loop for every kind of run: {@link #run} takes a {@link RunSpec} (what to train) and a {@link RunMode} (which
 * kind of run: pretraining, a full or LoRA fine-tune, instruction tuning, or a resumed run), and asks the mode
 * where the weights start, which tokenizer and vocabulary the model gets, and what it learns from.
 * {@link #resume} reads a checkpoint into a spec and a {@link RunMode.Resume}, and runs that.
 */
public final class TrainingRun {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingRun.class);

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
     * How the run ended; {@code stoppedBy} names the signal that stopped it early, or is null; {@code conversations}
     * says the model was instruction-tuned (talk with it rather than sample it).
     */
    public record Summary(Path runDir, Evaluation.Result last, double bestValLoss, long steps, double trainingSeconds,
            long tokensSeen, String stoppedBy, boolean conversations) {
        public double tokensPerSecond() {
            return tokensSeen / trainingSeconds;
        }

        public double valLoss() {
            return last.valLoss();
        }
    }

    private final RunSpec spec;
    private final RunMode mode;
    private final RunControl control;

    private TrainingRun(RunSpec spec, RunMode mode, RunControl control) {
        this.spec = spec;
        this.mode = mode;
        this.control = control;
    }

    /**
     * Trains {@code spec}'s model as {@code mode} says, in {@code spec}'s run folder, locked for the run and repaired
     * first. A run from step 0 refuses a folder that already holds a trained model unless {@code control} says
     * overwrite; a fine-tuning run also one that holds its own source.
     */
    public static Summary run(RunSpec spec, RunMode mode, RunControl control) throws IOException {
        mode.checkRunFolder(spec.runDir());
        try (RunFolder folder = RunFolder.open(spec.runDir())) {
            repair(folder);
            mode.admit(folder, control.overwrite());
            return new TrainingRun(spec, mode, control).run();
        }
    }

    /**
     * Continues the run a checkpoint belongs to, from where it stopped, with the same data, settings and random
     * numbers, as {@code how} says (e.g. a larger {@code max_iters}). The run folder is the checkpoint's parent; it
     * is locked and repaired before the checkpoint is read, so a checkpoint whose swap a crash cut short is whole
     * again first, and no other run can change it while this one reads it and trains.
     */
    public static Summary resume(Path checkpoint, Continuation how, RunControl control) throws IOException {
        Checkpoint.requireNotRunFolder(checkpoint);
        Path runDir = checkpoint.toAbsolutePath().getParent();
        try (RunFolder folder = RunFolder.open(runDir)) {
            repair(folder);
            Checkpoint.Contents contents = Checkpoint.read(checkpoint);
            // RunMode.Resume's admission, asked before anything else is read: a later latest/ is refused first.
            folder.requireResumable(checkpoint, contents.state().step(), control.overwrite());
            RunState state = contents.state();
            Optional<TuningData> conversations = conversationsToResume(state, how);
            RunData.Sources data = conversations.isPresent()
                    ? new RunData.Sources(Path.of(conversations.get().files().chat()), null)
                    : RunData.toResume(state, how.corpus(), how.dataset());
            RunSpec spec = RunSpec.builder().preset(state.preset()).model(contents.model())
                    .training(contents.training().withOverrides(
                            ScheduleFollowsLength.fields(contents.training(), how.trainingOverrides(), state.step())))
                    .corpus(data.corpus()).dataset(data.dataset()).runDir(runDir)
                    .device(how.device()).showProgressBar(how.showProgressBar()).logInterval(how.logInterval())
                    .compute(how.compute().orElse(state.compute()))
                    .checkpointActivations(how.checkpointActivations().orElse(state.checkpointActivations()))
                    .build();
            Optional<LoraSettings> lora = LoraCheckpoint.settingsIn(checkpoint); // a LoRA run stays one
            return new TrainingRun(spec, new RunMode.Resume(contents, lora, conversations), control).run();
        }
    }

    /**
     * An instruction-tuning run's conversations, read again from the files its checkpoint records (or the same ones
     * given where they are now); none for a run on a corpus or dataset, which --chat and --chat-val cannot change.
     */
    private static Optional<TuningData> conversationsToResume(RunState state, Continuation how)
            throws IOException {
        if (state.conversations().isEmpty()) {
            if (how.chat().isPresent() || how.chatVal().isPresent()) {
                throw new UserError("--chat and --chat-val resume an instruction-tuning run, and this one trained on "
                        + (state.onDataset() ? "the dataset " + state.dataset() : "the corpus " + state.corpus())
                        + ": leave them out");
            }
            return Optional.empty();
        }
        if (how.corpus().isPresent() || how.dataset().isPresent()) {
            throw new UserError("--corpus and --dataset cannot change a resumed instruction-tuning run: it learns from"
                    + " the conversations in " + state.conversations().get().chat() + "; leave them out (give --chat"
                    + " FILE if that file has moved)");
        }
        ConversationFiles.Found found = state.conversations().get().toResume(how.chat(), how.chatVal());
        return Optional.of(ChatData.read(found.chat(), found.chatVal()));
    }


    private static void repair(RunFolder folder) throws IOException {
        for (String repair : folder.recover()) {
            LOG.warn("{}", repair);
        }
    }

    private Summary run() throws IOException {
        PrecisionSupport.check(spec.compute(), spec.device()).ifPresent(advice -> LOG.warn("{}", advice));
        Path tokenizerJson = spec.runDir().resolve(Checkpoint.TOKENIZER);
        Tokenizer tokenizer = mode.prepareTokenizer(spec, tokenizerJson);
        GptConfig config = mode.config(spec, tokenizer);
        TrainingSettings settings = spec.training();
        int contextLength = config.contextLength();
        Lessons lessons = mode.lessons(spec, tokenizerJson, tokenizer, contextLength);

        Engine.getInstance().setRandomSeed((int) settings.seed()); // the same initial weights every time
        try (Model model = Model.newInstance("scratchgpt", spec.device())) {
            Gpt gpt = new Gpt(config, spec.compute());
            model.setBlock(mode.lora().isPresent() ? LoraModel.adapt(gpt, mode.lora().get()) : gpt); // LoRA: from outside
            Shape batchShape = new Shape(settings.batchSize(), contextLength);
            mode.loadWeights(model, batchShape, tokenizer);
            AdamW optimizer = settings.newOptimizer();
            long firstStep = mode.continues().map(checkpoint -> checkpoint.state().step()).orElse(0L);
            TrainingLog log = new TrainingLog(firstStep, settings.maxIters(), spec.showProgressBar(), spec.logInterval());
            // For loaded weights (resumed or fine-tuned) this keeps their values and marks them learnable (DJL's load
            // does not).
            try (Trainer trainer = newTrainer(model, optimizer, lessons.loss(), spec.device(), batchShape, log)) {
                TrainingBatches train = lessons.train(settings, contextLength);
                TrainingBatches val = lessons.val(settings, contextLength);
                Loop loop = new Loop(model, trainer, optimizer, config, settings, tokenizerJson, lessons, train,
                        val, log);
                if (mode.continues().isPresent()) {
                    loop.restore(mode.continues().get());
                }
                return loop.run();
            }
        }
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

    /** The loop and its state, kept apart from the set-up above. */
    private final class Loop {
        private final Model model;
        private final Trainer trainer;
        private final AdamW optimizer;
        private final GptConfig config;
        private final TrainingSettings settings;
        private final Path tokenizerJson;
        private final Lessons lessons;
        private final TrainingBatches train;
        private final TrainingBatches val;
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
                Path tokenizerJson, Lessons lessons, TrainingBatches train, TrainingBatches val, TrainingLog log) {
            this.model = model;
            this.trainer = trainer;
            this.optimizer = optimizer;
            this.config = config;
            this.settings = settings;
            this.tokenizerJson = tokenizerJson;
            this.lessons = lessons;
            this.train = train;
            this.val = val;
            this.log = log;
            this.metrics = new MetricsLog(spec.runDir().resolve(Checkpoint.METRICS));
            this.schedule = settings.schedule();
            this.lossScaler = spec.compute().precision() == Precision.FP16 ? LossScaler.dynamic() : LossScaler.off();
        }

        /** Puts back the optimizer, the data sampler, the counters and the metrics of a checkpoint (weights: above). */
        void restore(Checkpoint.Contents checkpoint) throws IOException {
            Checkpoint.loadOptimizer(optimizer, model, checkpoint.dir());
            RunState state = checkpoint.state();
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
                lastEvaluation = Evaluation.run(trainer, step, train, val, settings.evalIters(),
                        lessons.valBytesPerToken());
            }
            return new Summary(spec.runDir(), lastEvaluation, bestValLoss, step, trainingSeconds, tokensSeen,
                    control.stop().cause(), mode.learnsConversations());
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
            log.step(step, result, learningRate, tokens / seconds, seconds);
        }

        private Evaluation.Result evaluate() throws IOException {
            Evaluation.Result eval = Evaluation.run(trainer, step, train, val, settings.evalIters(),
                    lessons.valBytesPerToken());
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
            RunData data = lessons.data();
            RunState state = RunState.builder()
                    .step(step).samplerState(train.samplerState()).bestValLoss(bestValLoss)
                    .tokensSeen(tokensSeen).trainingSeconds(trainingSeconds).preset(spec.preset())
                    .corpus(data.corpus(), data.corpusSha256()).dataset(data.dataset(), data.datasetSha256())
                    .compute(spec.compute())
                    .lossScale(lossScaler.enabled() ? lossScaler.scale() : 0, lossScaler.goodSteps())
                    .checkpointActivations(spec.checkpointActivations())
                    .finetunedFrom(mode.finetunedFrom()).conversations(lessons.conversationFiles())
                    .build();
            String card = ModelCard.of(config, settings, state, eval, ((Gpt) model.getBlock()).parameterCount());
            Checkpoint.Writer checkpoint = Checkpoint.writer(model, config, settings)
                    .weights(mode.weightsWriter())
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

        /**
         * A step whose loss or gradient is not a finite number: the updates grew until float32 overflowed, which a
         * lower learning rate prevents. (Clipping cannot: an infinite norm has no direction left to keep.)
         */
        private UserError diverged(TrainingStep.Result result) {
            return new UserError(String.format(java.util.Locale.ROOT, "training diverged at step %d: the loss is %s and"
                    + " the gradient norm %s, so the weights were not updated. The last good checkpoint is %s (step %d):"
                    + " resume from it with a lower learning_rate (now %g), e.g. `scratchgpt train --resume"
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
