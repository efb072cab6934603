package org.scratchgpt.checkpoint;

import ai.djl.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;

/**
 * A run folder for weights that were not trained here (a GPT-2 that {@code import gpt2} read, a model that
 * {@code lora merge} made): {@code latest/} and {@code best/} the same checkpoint, as a training run leaves them, so
 * that every command treats it as it treats a trained run ({@code sample --checkpoint DIR}, {@code finetune --from
 * DIR} take its best/). The checkpoint is at step 0 with a fresh optimizer and no corpus (a run continuing from it
 * names its own). No evaluation has happened yet, so the best val loss is the largest finite number: any first
 * evaluation improves on it, and JSON can hold it (it cannot hold infinity).
 *
 * @param label what the model is, for its state and the cards of the runs that train it further: a preset's name
 *     only when it is that preset's shape
 * @param training the training settings it records
 * @param tokenizerJson its tokenizer
 * @param card its README.md
 */
public record ImportedRun(String label, TrainingSettings training, Path tokenizerJson, String card) {

    /**
     * Writes {@code model}, a GPT of {@code config}, as the new run folder {@code out}: the whole folder is written
     * aside and renamed into place, so a failure leaves nothing behind.
     */
    public void write(Path out, Model model, GptConfig config) throws IOException {
        AtomicFiles.replaceDirectory(out, dir -> {
            Path latest = Files.createDirectory(dir.resolve(RunFolder.LATEST));
            writeCheckpoint(latest, model, config);
            linkOrCopyFolder(latest, dir.resolve(RunFolder.BEST));
        });
    }

    private void writeCheckpoint(Path dir, Model model, GptConfig config) throws IOException {
        RunState state = RunState.builder().step(0).samplerState(training.seed()).bestValLoss(Double.MAX_VALUE)
                .tokensSeen(0).trainingSeconds(0).preset(label).build();
        Checkpoint.writer(model, config, training).tokenizer(tokenizerJson).optimizer(training.newOptimizer())
                .state(state).forPeople(folder -> Files.writeString(folder.resolve(Checkpoint.CARD), card,
                        StandardCharsets.UTF_8))
                .writeInto(dir);
    }

    /**
     * best/ as the same files as latest/: hard links where the file system has them (gpt2-xl's weights are 6 GB;
     * a copy would double that), copies where not. Sharing is safe because checkpoint files are never written in
     * place: a new checkpoint is a new folder swapped in, and removing one link leaves the other's file intact.
     */
    private static void linkOrCopyFolder(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(file.getFileName());
                try {
                    Files.createLink(copy, file);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(file, copy);
                }
            }
        }
    }
}
