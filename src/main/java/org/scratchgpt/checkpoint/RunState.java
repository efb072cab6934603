package org.scratchgpt.checkpoint;

import static org.scratchgpt.config.BuilderFields.required;

import com.google.gson.JsonObject;
import java.util.Optional;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Precision;

/**
 * Where the training loop was when the checkpoint was written, and how it computed: a resumed run continues
 * with the same precision and attention kernel, float16's loss scale where it was, and activation
 * checkpointing as it was (its dropout masks are drawn per stage, so a resumed run must keep to it to draw the
 * same ones). The corpus is known by its SHA-256 ({@code corpusSha256}); its path is only a hint of where it
 * was, so a moved repository or a copied corpus still resumes. A run on a prepared dataset
 * ({@code train --dataset}) has no corpus ("") but a {@code dataset} folder, known by its fingerprint
 * ({@code datasetSha256}, see {@code DatasetManifest}); "" for both on a corpus run. A fine-tuning run also
 * records the checkpoint its weights started from ({@code finetunedFrom}, empty for a run trained from random
 * weights). An instruction-tuning run learns from conversations, whose files it records
 * ({@code conversations}, empty otherwise); its corpus fields name the chat file too.
 */
public record RunState(long step, long samplerState, double bestValLoss, long tokensSeen, double trainingSeconds,
        String preset, String corpus, String corpusSha256, Compute compute, double lossScale, int lossScaleGoodSteps,
        boolean checkpointActivations, String dataset, String datasetSha256, Optional<FinetunedFrom> finetunedFrom,
        Optional<ConversationFiles> conversations) {

    /** Whether the run trains on a prepared dataset's token shards ({@code train --dataset}). */
    public boolean onDataset() {
        return !dataset.isEmpty();
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("step", step);
        json.addProperty("sampler_state", samplerState);
        json.addProperty("best_val_loss", bestValLoss);
        json.addProperty("tokens_seen", tokensSeen);
        json.addProperty("training_seconds", trainingSeconds);
        json.addProperty("preset", preset);
        json.addProperty("corpus", corpus);
        json.addProperty("corpus_sha256", corpusSha256);
        json.addProperty("precision", compute.precision().cliName());
        json.addProperty("fused_attention", compute.fusedAttention());
        json.addProperty("loss_scale", lossScale);
        json.addProperty("loss_scale_good_steps", lossScaleGoodSteps);
        json.addProperty("checkpoint_activations", checkpointActivations);
        if (onDataset()) {
            json.addProperty("dataset", dataset);
            json.addProperty("dataset_sha256", datasetSha256);
        }
        finetunedFrom.ifPresent(source -> json.add(FinetunedFrom.JSON_FIELD, source.toJson()));
        conversations.ifPresent(files -> json.add(ConversationFiles.JSON_FIELD, files.toJson()));
        return json;
    }

    static RunState fromJson(JsonFile state) {
        return builder()
                .step(state.wholeNumber("step"))
                .samplerState(state.wholeNumber("sampler_state"))
                .bestValLoss(state.number("best_val_loss"))
                .tokensSeen(state.wholeNumber("tokens_seen"))
                .trainingSeconds(state.number("training_seconds"))
                .preset(state.text("preset"))
                // Written since checkpoints name their corpus by content; older ones have only the path.
                .corpus(state.text("corpus"), state.has("corpus_sha256") ? state.text("corpus_sha256") : "")
                .compute(computeOf(state))
                .lossScale(state.has("loss_scale") ? state.number("loss_scale") : 0,
                        state.has("loss_scale_good_steps") ? (int) state.wholeNumber("loss_scale_good_steps") : 0)
                // absent from checkpoints written before the option existed, which all ran without it
                .checkpointActivations(state.has("checkpoint_activations")
                        && state.trueOrFalse("checkpoint_activations"))
                // only runs on a prepared dataset (train --dataset) have these
                .dataset(state.has("dataset") ? state.text("dataset") : "",
                        state.has("dataset_sha256") ? state.text("dataset_sha256") : "")
                .finetunedFrom(state.has(FinetunedFrom.JSON_FIELD)
                        ? Optional.of(FinetunedFrom.fromJson(state.object(FinetunedFrom.JSON_FIELD)))
                        : Optional.empty())
                .conversations(state.has(ConversationFiles.JSON_FIELD) // only instruction-tuning runs have it
                        ? Optional.of(ConversationFiles.fromJson(state.object(ConversationFiles.JSON_FIELD)))
                        : Optional.empty())
                .build();
    }

    /** Checkpoints written before precision was a choice computed as the reference does. */
    private static Compute computeOf(JsonFile state) {
        if (!state.has("precision")) {
            return Compute.REFERENCE;
        }
        return new Compute(Precision.parse(state.text("precision")), state.trueOrFalse("fused_attention"));
    }

    /** A state given field by field; see {@link Builder} for what must be given and what may be left out. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the loop was (step, sampler state, best val loss, tokens seen, training seconds) and the preset must
     * be given. The rest may be left out and then say "none": no corpus and no dataset (""), the reference
     * computation, no loss scale (0), no activation checkpointing, no fine-tuning source, no conversations.
     */
    public static final class Builder {
        private static final String RECORD = "a run state"; // as errors name it

        private Long step;
        private Long samplerState;
        private Double bestValLoss;
        private Long tokensSeen;
        private Double trainingSeconds;
        private String preset;
        private String corpus = "";
        private String corpusSha256 = "";
        private Compute compute = Compute.REFERENCE;
        private double lossScale;
        private int lossScaleGoodSteps;
        private boolean checkpointActivations;
        private String dataset = "";
        private String datasetSha256 = "";
        private Optional<FinetunedFrom> finetunedFrom = Optional.empty();
        private Optional<ConversationFiles> conversations = Optional.empty();

        private Builder() {}

        public Builder step(long value) {
            step = value;
            return this;
        }

        /** The data sampler's state, for the batches after this step. */
        public Builder samplerState(long value) {
            samplerState = value;
            return this;
        }

        public Builder bestValLoss(double value) {
            bestValLoss = value;
            return this;
        }

        public Builder tokensSeen(long value) {
            tokensSeen = value;
            return this;
        }

        public Builder trainingSeconds(double value) {
            trainingSeconds = value;
            return this;
        }

        public Builder preset(String value) {
            preset = value;
            return this;
        }

        /** The corpus file and its SHA-256, by which a resumed run recognises it. */
        public Builder corpus(String path, String sha256) {
            corpus = path;
            corpusSha256 = sha256;
            return this;
        }

        /** The prepared dataset folder and its fingerprint. */
        public Builder dataset(String path, String fingerprint) {
            dataset = path;
            datasetSha256 = fingerprint;
            return this;
        }

        public Builder compute(Compute value) {
            compute = value;
            return this;
        }

        /** float16's loss scale and the good steps since it last changed; 0 and 0 without one. */
        public Builder lossScale(double scale, int goodSteps) {
            lossScale = scale;
            lossScaleGoodSteps = goodSteps;
            return this;
        }

        public Builder checkpointActivations(boolean value) {
            checkpointActivations = value;
            return this;
        }

        public Builder finetunedFrom(Optional<FinetunedFrom> value) {
            finetunedFrom = value;
            return this;
        }

        public Builder conversations(Optional<ConversationFiles> value) {
            conversations = value;
            return this;
        }

        public RunState build() {
            return new RunState(required(RECORD, "step", step), required(RECORD, "sampler_state", samplerState),
                    required(RECORD, "best_val_loss", bestValLoss), required(RECORD, "tokens_seen", tokensSeen),
                    required(RECORD, "training_seconds", trainingSeconds), required(RECORD, "preset", preset),
                    corpus, corpusSha256, compute, lossScale, lossScaleGoodSteps, checkpointActivations, dataset,
                    datasetSha256, finetunedFrom, conversations);
        }
    }
}
