package org.scratchgpt.training;

import static org.scratchgpt.config.BuilderFields.required;

import ai.djl.Device;
import java.nio.file.Path;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;

/**
 * What to train: the model, the settings, the text (a corpus, or a prepared dataset), where, and how: the
 * device, the precision and attention kernel, and whether to checkpoint activations, which trades a third more
 * arithmetic for much less memory ({@link ActivationCheckpointing}); and how it reports its steps.
 * Made with {@link #builder}.
 */
public record RunSpec(String preset, GptConfig model, TrainingSettings training, Path corpus, Path dataset,
        Path runDir, Device device, boolean showProgressBar, int logInterval, Compute compute,
        boolean checkpointActivations) {

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The preset's name, the model, the training settings, the run folder, the device and how to report must be
     * given. The corpus, or a prepared dataset ({@code train --dataset}) in its place, is the run's text; the
     * reference computation and no activation checkpointing are the defaults.
     */
    public static final class Builder {
        private static final String RECORD = "a run spec"; // as errors name it

        private String preset;
        private GptConfig model;
        private TrainingSettings training;
        private Path corpus;
        private Path dataset;
        private Path runDir;
        private Device device;
        private Boolean showProgressBar;
        private Integer logInterval;
        private Compute compute = Compute.REFERENCE;
        private boolean checkpointActivations;

        private Builder() {}

        /** The preset's name, which checkpoints record (and model cards and loss plots show). */
        public Builder preset(String value) {
            preset = value;
            return this;
        }

        public Builder model(GptConfig value) {
            model = value;
            return this;
        }

        public Builder training(TrainingSettings value) {
            training = value;
            return this;
        }

        /** The text file to learn from (for instruction tuning: its chat file, only recorded). */
        public Builder corpus(Path value) {
            corpus = value;
            return this;
        }

        /** A prepared dataset's folder, learnt from instead of a corpus. */
        public Builder dataset(Path value) {
            dataset = value;
            return this;
        }

        public Builder runDir(Path value) {
            runDir = value;
            return this;
        }

        public Builder device(Device value) {
            device = value;
            return this;
        }

        /** A progress bar (on a terminal), or else a log line every {@code logInterval} steps. */
        public Builder showProgressBar(boolean value) {
            showProgressBar = value;
            return this;
        }

        public Builder logInterval(int value) {
            logInterval = value;
            return this;
        }

        public Builder compute(Compute value) {
            compute = value;
            return this;
        }

        public Builder checkpointActivations(boolean value) {
            checkpointActivations = value;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(required(RECORD, "preset", preset), required(RECORD, "model", model),
                    required(RECORD, "training", training), corpus, dataset, required(RECORD, "runDir", runDir),
                    required(RECORD, "device", device), required(RECORD, "showProgressBar", showProgressBar),
                    required(RECORD, "logInterval", logInterval), compute, checkpointActivations);
        }
    }
}
