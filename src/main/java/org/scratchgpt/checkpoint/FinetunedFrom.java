package org.scratchgpt.checkpoint;

import com.google.gson.JsonObject;

/**
 * Where a fine-tuned model's weights started: the checkpoint folder they were loaded from, its step, and the
 * SHA-256 of its weights file. The folder may move or be retrained later; the hash still says exactly which
 * weights this model grew from. Recorded in every checkpoint of a fine-tuning run ({@code state.json}, the
 * model card) and carried on when the run is resumed.
 *
 * @param checkpoint the source checkpoint's folder, as an absolute path
 * @param step the step the source checkpoint was written at
 * @param weightsSha256 the SHA-256 of its {@code scratchgpt-NNNN.params}
 */
public record FinetunedFrom(String checkpoint, long step, String weightsSha256) {
    static final String JSON_FIELD = "finetuned_from";

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("checkpoint", checkpoint);
        json.addProperty("step", step);
        json.addProperty("weights_sha256", weightsSha256);
        return json;
    }

    static FinetunedFrom fromJson(JsonObject json) {
        return new FinetunedFrom(json.get("checkpoint").getAsString(), json.get("step").getAsLong(),
                json.get("weights_sha256").getAsString());
    }

    /** One line for a model card or a report. */
    public String describe() {
        return checkpoint + " (step " + step + ", weights SHA-256 " + weightsSha256 + ")";
    }
}
