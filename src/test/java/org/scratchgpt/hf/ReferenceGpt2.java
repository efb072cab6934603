package org.scratchgpt.hf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

/**
 * The independent NumPy GPT-2 of {@code src/test/python/gpt2_reference.py}, run as a process: it makes random
 * HuggingFace GPT-2 folders and computes their logits. Tests that use it skip when NumPy is missing.
 */
public final class ReferenceGpt2 {

    private static final Path SCRIPT = Path.of("src/test/python/gpt2_reference.py");

    private ReferenceGpt2() {}

    /** Skips the calling test unless {@code python3} with NumPy runs here. */
    public static void requireNumpy() {
        boolean available;
        try {
            Process process = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            available = process.waitFor() == 0;
        } catch (IOException e) {
            available = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            available = false;
        }
        assumeTrue(available, "python3 with NumPy is not installed (apt-get install python3-numpy)");
    }

    /**
     * A random GPT-2 folder: config.json and model.safetensors from the script ({@code options} as its make
     * command takes them), and a character tokenizer.json of {@code min(vocab, 20)} tokens.
     */
    public static void make(Path dir, int vocab, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("make", dir.toString(), "--vocab", Integer.toString(vocab)));
        command.addAll(List.of(options));
        run(command);
        Map<String, Integer> chars = new TreeMap<>();
        for (int i = 0; i < Math.min(vocab, 20); i++) {
            chars.put(String.valueOf((char) ('a' + i)), i);
        }
        TokenizerJson.save(new CharTokenizer(chars), dir.resolve("tokenizer.json"));
    }

    /** The reference's logits of {@code ids}, (T, V). */
    public static double[][] logits(Path dir, int[] ids) throws IOException {
        List<String> command = new ArrayList<>(List.of("logits", dir.toString()));
        for (int id : ids) {
            command.add(Integer.toString(id));
        }
        String[] lines = run(command).strip().split("\n");
        double[][] logits = new double[lines.length][];
        for (int t = 0; t < lines.length; t++) {
            String[] values = lines[t].strip().split(" ");
            logits[t] = new double[values.length];
            for (int v = 0; v < values.length; v++) {
                logits[t][v] = Double.parseDouble(values[v]);
            }
        }
        return logits;
    }

    /** ScratchGPT's logits of {@code ids}, (T, V), from the checkpoint folder {@code checkpoint}. */
    public static float[][] scratchLogits(Path checkpoint, int[] ids) throws IOException {
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        try (Model model = Model.newInstance("scratchgpt")) {
            Gpt gpt = new Gpt(contents.model());
            model.setBlock(gpt);
            Checkpoint.loadInto(model, checkpoint, new Shape(1, ids.length));
            NDArray input = model.getNDManager().create(ids, new Shape(1, ids.length));
            NDArray logits = gpt.forward(new ParameterStore(model.getNDManager(), false), new NDList(input), false)
                    .singletonOrThrow();                                             // (1, T, V)
            int vocab = (int) logits.getShape().get(2);
            float[] flat = logits.toFloatArray();
            float[][] rows = new float[ids.length][vocab];
            for (int t = 0; t < ids.length; t++) {
                System.arraycopy(flat, t * vocab, rows[t], 0, vocab);
            }
            return rows;
        }
    }

    /** The largest |a - b| over all positions and tokens. */
    public static double maxDifference(float[][] scratch, double[][] reference) {
        double max = 0;
        for (int t = 0; t < reference.length; t++) {
            if (scratch[t].length != reference[t].length) {
                throw new AssertionError("position " + t + ": " + scratch[t].length + " logits vs " + reference[t].length);
            }
            for (int v = 0; v < reference[t].length; v++) {
                max = Math.max(max, Math.abs(scratch[t][v] - reference[t][v]));
            }
        }
        return max;
    }

    private static String run(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new AssertionError("gpt2_reference.py " + String.join(" ", arguments) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }
}
