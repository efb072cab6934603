package org.scratchgpt.lora;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;

/**
 * The matrices LoRA can adapt, by their name on the command line ({@code --lora-targets qkv,proj}).
 */
public enum LoraTarget {
    /** Attention's fused query-key-value Linear, C -> 3C (GPT-2's c_attn). */
    QKV,
    /** Attention's output projection, C -> C (c_proj). */
    PROJ,
    /** Both Linears of the MLP, C -> 4C and 4C -> C (c_fc and c_proj). */
    MLP,
    /** The output head, C -> V. When it is tied to the token embedding only its use as the head is adapted. */
    HEAD;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LoraTarget parse(String name) {
        for (LoraTarget target : values()) {
            if (target.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return target;
            }
        }
        throw new UserError("unknown LoRA target '" + name + "': use a comma-separated list of "
                + Arrays.stream(values()).map(LoraTarget::cliName).collect(Collectors.joining(", "))
                + ", e.g. --lora-targets qkv,proj");
    }
}
