package org.scratchgpt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.ScheduleFollowsLength;
import org.scratchgpt.optim.TrainingSettings;

/**
 * The {@code --set FIELD=VALUE} overrides that {@code train} and {@code plan} take: any model or training field,
 * by nanoGPT's name. Checked here once, so a misspelt field fails the same way in every command.
 */
final class FieldOverrides {
    private FieldOverrides() {}

    /** Every field that can be set: the model's, then the training settings'. */
    static List<String> allFields() {
        List<String> all = new ArrayList<>(GptConfig.FIELD_NAMES);
        all.addAll(TrainingSettings.FIELD_NAMES);
        return all;
    }

    /** Fails, naming the valid fields, if {@code fields} holds a name that is neither. */
    static void requireKnown(Map<String, String> fields) {
        for (String name : fields.keySet()) {
            if (!allFields().contains(name)) {
                throw new UserError("unknown field '" + name + "': valid fields are " + String.join(", ", allFields()));
            }
        }
    }

    /** The preset's model shape with the model fields of {@code fields} applied. */
    static GptConfig model(String preset, Map<String, String> fields) {
        return Presets.model(preset).withOverrides(TrainingSettings.select(fields, false));
    }

    /**
     * The preset's training settings with the training fields of {@code fields} applied; a {@code max_iters} given
     * without {@code lr_decay_iters} moves the decay's end with it ({@link ScheduleFollowsLength}).
     */
    static TrainingSettings training(String preset, Map<String, String> fields) {
        TrainingSettings settings = TrainingSettings.preset(preset);
        return settings.withOverrides(ScheduleFollowsLength.fields(settings, TrainingSettings.select(fields, true), 0));
    }
}
