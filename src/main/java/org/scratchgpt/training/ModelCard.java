package org.scratchgpt.training;

import java.util.Locale;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.RunState;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;

/** The README.md a training run puts in each checkpoint: what the model is, how well it does, how to use it. */
final class ModelCard {
    private ModelCard() {}

    /**
     * The card's text. {@code eval} is the last evaluation, which for a run stopped between evaluations is of an
     * earlier step (null when there was none).
     */
    static String of(GptConfig config, TrainingSettings training, RunState state, Evaluation.Result eval,
            long parameters) {
        String evaluation = eval == null ? "Not evaluated yet.\n" : String.format(Locale.ROOT, """
                | step | train loss | val loss | val perplexity | val bits per byte |
                |---:|---:|---:|---:|---:|
                | %d | %.4f | %.4f | %.2f | %.3f |
                """, eval.step(), eval.trainLoss(), eval.valLoss(), eval.perplexity(), eval.bitsPerByte());
        return String.format(Locale.ROOT, """
                # ScratchGPT checkpoint: %s, step %d

                A GPT with %,d parameters (%d layers, %d heads, %d wide, context %d, vocabulary %d, %s positions),
                trained by ScratchGPT on %,d tokens in %.0f s.

                %s%s
                Best val loss so far: %.4f. Settings: `config.json`; curves: `loss.png`; numbers: `metrics.jsonl`.
                Integrity: `manifest.json` holds the size and SHA-256 of each file that loading reads.

                Sample:   ./scratchgpt sample --checkpoint <this folder> --prompt "ROMEO:"
                Continue: ./scratchgpt train --resume <this folder>
                In DJL:   Criteria.builder().setTypes(int[].class, float[].class).optModelPath(<this folder>)
                              .optModelName("%s").optBlock(new Gpt(config)).optTranslator(new NextTokenLogitsTranslator())
                """, state.preset(), state.step(), parameters, config.layers(), config.heads(), config.embeddingWidth(),
                config.contextLength(), config.vocabSize(), config.positionalEncoding().jsonName(), state.tokensSeen(),
                state.trainingSeconds(), state.finetunedFrom().map(source -> "Fine-tuned from " + source.describe() + ".\n\n")
                        .orElse(""), evaluation, state.bestValLoss(), Checkpoint.PARAMETERS);
    }
}
