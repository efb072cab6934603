package org.scratchgpt.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Import then export gives back the original tensors bit for bit, and the NumPy reference reading the exported
 * folder computes the logits ScratchGPT computes.
 */
class HfExportTest {

    private static final int[] IDS = {2, 7, 1, 8, 2, 8, 1, 8};

    @TempDir
    Path dir;

    @BeforeEach
    void numpy() {
        ReferenceGpt2.requireNumpy();
    }

    @ParameterizedTest(name = "{0} layers, {1} heads, {2} wide, vocab {3}, {4} {5}")
    @CsvSource({
        "2, 2, 16, 37, original, --buffers",
        "3, 4, 32, 50, save_pretrained, --lm-head",
        "2, 2, 16, 23, save_pretrained, --untied",
        "1, 2, 8, 21, original, --gelu=gelu",
    })
    void importThenExportReproducesTheTensorsAndTheLogits(int layers, int heads, int width, int vocab, String layout,
            String extra) throws IOException {
        Path original = dir.resolve("hf");
        ReferenceGpt2.make(original, vocab, "--layers", "" + layers, "--heads", "" + heads, "--width", "" + width,
                "--context", "16", "--layout", layout, "--seed", "" + width, extra);
        Gpt2Import.run(original, dir.resolve("run"));
        Path exported = dir.resolve("exported");
        HfExport.run(dir.resolve("run/best"), exported, false);

        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json"),
                listing(exported));
        JsonObject config = JsonParser.parseString(Files.readString(exported.resolve("config.json"))).getAsJsonObject();
        assertEquals("GPT2LMHeadModel", config.getAsJsonArray("architectures").get(0).getAsString());
        assertEquals(extra.equals("--gelu=gelu") ? "gelu" : "gelu_new", config.get("activation_function").getAsString());
        assertEquals(!extra.equals("--untied"), config.get("tie_word_embeddings").getAsBoolean());

        int compared = assertSameTensors(original.resolve("model.safetensors"), exported.resolve("model.safetensors"));
        System.out.printf("export %s %s: %d tensors bit for bit%n", layout, extra, compared);

        double[][] reference = ReferenceGpt2.logits(exported, IDS);
        double difference = ReferenceGpt2.maxDifference(ReferenceGpt2.scratchLogits(dir.resolve("run/best"), IDS), reference);
        assertTrue(difference < 1e-4, "max logit difference " + difference);
        // The same weights: the reference on the original folder and on the exported one agree exactly.
        assertEquals(0, ReferenceGpt2.maxDifference(toFloats(ReferenceGpt2.logits(original, IDS)), reference), 1e-6);
    }

    /**
     * Every parameter of the original file is in the exported one under its original-layout name, with the same
     * shape and the same bits. Skipped: the mask buffers, and a tied lm_head (a copy of wte, which HuggingFace
     * itself ignores). Returns how many tensors were compared.
     */
    private static int assertSameTensors(Path originalFile, Path exportedFile) throws IOException {
        int compared = 0;
        try (SafetensorsFile original = SafetensorsFile.open(originalFile);
             SafetensorsFile exported = SafetensorsFile.open(exportedFile)) {
            for (String name : original.names()) {
                String plain = name.startsWith("transformer.") ? name.substring("transformer.".length()) : name;
                if (Gpt2TensorNames.isBuffer(plain) || (plain.equals(Gpt2TensorNames.LM_HEAD) && !exported.contains(plain))) {
                    continue;
                }
                assertArrayEquals(original.entry(name).shape(), exported.entry(plain).shape(), plain);
                assertArrayEquals(bits(original.floats(name)), bits(exported.floats(plain)), plain);
                compared++;
            }
            assertEquals(compared, exported.names().size(), "the export holds nothing else");
        }
        return compared;
    }

    private static List<String> listing(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static float[][] toFloats(double[][] values) {
        float[][] f = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            f[i] = new float[values[i].length];
            for (int j = 0; j < values[i].length; j++) {
                f[i][j] = (float) values[i][j];
            }
        }
        return f;
    }
}
