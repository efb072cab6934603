package org.scratchgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The model's blocks are the lesson on their own: reading attention is reading attention. LoRA (and anything else
 * that changes a built model) is applied from outside, by lora/, so no file of the model package mentions it.
 */
class PlainBlocksTest {
    @Test
    void noModelFileMentionsLora() throws IOException {
        List<String> mentions;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/org/scratchgpt/model"))) {
            mentions = files.filter(file -> file.toString().endsWith(".java")).sorted()
                    .flatMap(file -> linesMentioningLora(file).stream()).toList();
        }
        assertEquals(List.of(), mentions, "the model package mentions LoRA");
    }

    private static List<String> linesMentioningLora(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).toLowerCase(Locale.ROOT).contains("lora"))
                    .mapToObj(i -> file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
