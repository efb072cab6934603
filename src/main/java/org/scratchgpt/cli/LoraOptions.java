package org.scratchgpt.cli;

import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.lora.LoraSettings;
import picocli.CommandLine.Option;

/** {@code --lora RANK} and its companions on {@code finetune}: train LoRA adapters instead of every weight. */
final class LoraOptions {

    @Option(names = "--lora", paramLabel = "RANK",
            description = "Train only LoRA adapters of rank RANK (e.g. 4, 8, 16) beside the frozen weights; the"
                    + " checkpoints hold only the adapters and name the base model (its folder and weights SHA-256).")
    Integer rank;

    @Option(names = "--lora-alpha", paramLabel = "A",
            description = "The adapters' update is scaled by A / RANK (default: RANK, a scale of 1).")
    Double alpha;

    @Option(names = "--lora-dropout", paramLabel = "P",
            description = "Dropout on the adapters' input while training (default: 0).")
    Double dropout;

    @Option(names = "--lora-targets", paramLabel = "LIST",
            description = "Which Linears get adapters, comma-separated from qkv, proj, mlp, head (default: qkv,proj)."
                    + " head on a model whose head is tied to the token embedding adapts only its use as the head.")
    String targets;

    /** The settings, or empty without --lora; a companion option without --lora is an error. */
    Optional<LoraSettings> settings() {
        if (rank == null) {
            if (alpha != null || dropout != null || targets != null) {
                throw new UserError("--lora-alpha, --lora-dropout and --lora-targets set up LoRA adapters: add"
                        + " --lora RANK (e.g. --lora 8), or leave them out to fine-tune every weight");
            }
            return Optional.empty();
        }
        return Optional.of(new LoraSettings(rank, alpha == null ? rank : alpha, dropout == null ? 0 : dropout,
                targets == null ? LoraSettings.DEFAULT_TARGETS : LoraSettings.parseTargets(targets)));
    }
}
