package org.scratchgpt.training;

import static org.scratchgpt.config.BuilderFields.required;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.model.Compute;

/**
 * How to continue a run: where, how it reports, which training fields change (e.g. a larger {@code max_iters}),
 * and, each as the checkpoint's run had it when empty, how it computes, whether it checkpoints activations,
 * and where its corpus now is (it must be the same text, recognised by its SHA-256), or its dataset, or an
 * instruction-tuning run's chat and validation files. Made with {@link #builder}.
 */
public record Continuation(Device device, boolean showProgressBar, int logInterval,
        Map<String, String> trainingOverrides, Optional<Compute> compute, Optional<Boolean> checkpointActivations,
        Optional<Path> corpus, Optional<Path> dataset, Optional<Path> chat, Optional<Path> chatVal) {

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The device and how to report must be given; everything else may be left out, and then is as the
     * checkpoint's run had it (no training field changed, its computation, its files where they were).
     */
    public static final class Builder {
        private static final String RECORD = "a continuation"; // as errors name it

        private Device device;
        private Boolean showProgressBar;
        private Integer logInterval;
        private Map<String, String> trainingOverrides = Map.of();
        private Optional<Compute> compute = Optional.empty();
        private Optional<Boolean> checkpointActivations = Optional.empty();
        private Optional<Path> corpus = Optional.empty();
        private Optional<Path> dataset = Optional.empty();
        private Optional<Path> chat = Optional.empty();
        private Optional<Path> chatVal = Optional.empty();

        private Builder() {}

        public Builder device(Device value) {
            device = value;
            return this;
        }

        public Builder showProgressBar(boolean value) {
            showProgressBar = value;
            return this;
        }

        public Builder logInterval(int value) {
            logInterval = value;
            return this;
        }

        /** Training fields to change, e.g. {@code max_iters} to train longer. */
        public Builder trainingOverrides(Map<String, String> value) {
            trainingOverrides = value;
            return this;
        }

        public Builder compute(Optional<Compute> value) {
            compute = value;
            return this;
        }

        public Builder checkpointActivations(Optional<Boolean> value) {
            checkpointActivations = value;
            return this;
        }

        /** Where the run's corpus is now, if it moved. */
        public Builder corpus(Optional<Path> value) {
            corpus = value;
            return this;
        }

        /** Where the run's prepared dataset is now, if it moved. */
        public Builder dataset(Optional<Path> value) {
            dataset = value;
            return this;
        }

        /** Where an instruction-tuning run's chat file is now, if it moved. */
        public Builder chat(Optional<Path> value) {
            chat = value;
            return this;
        }

        /** Where its validation conversations are now, if they moved. */
        public Builder chatVal(Optional<Path> value) {
            chatVal = value;
            return this;
        }

        public Continuation build() {
            return new Continuation(required(RECORD, "device", device),
                    required(RECORD, "showProgressBar", showProgressBar), required(RECORD, "logInterval", logInterval),
                    trainingOverrides, compute, checkpointActivations, corpus, dataset, chat, chatVal);
        }
    }
}
