package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.SharedData;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.hf.ReferenceGpt2;
import org.scratchgpt.tokenizer.Tokenizer;
import picocli.CommandLine;

/**
 * {@code scratchgpt export djl} through the real command line, and the exported folder used as another DJL
 * application would: docs/djl.md's program, compiled and run by the page's own commands as written (against
 * target/lib, which holds DJL's jars and no ScratchGPT class), loads the folder with Criteria; its logits are
 * ScratchGPT's, DJL's greedy TextGenerator writes what {@code sample --temperature 0} writes, and beam and
 * contrastive search run.
 */
class ExportDjlCommandTest {
    @TempDir Path dir;

    /** Where the build copies the jars ScratchGPT runs on, which the page's commands compile the program against. */
    private static final Path LIB = Path.of("target", "lib");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** A tiny run of the baby preset with {@code settings}, into {@code dir/name}; returns its best checkpoint. */
    private Path train(String name, String... settings) throws Exception {
        return TinyRun.train(dir, name, 64, 6, 3, settings); // the page's program generates 40 tokens
    }

    @ParameterizedTest
    @ValueSource(strings = {"learned", "sinusoidal", "rotary"})
    void anotherDjlApplicationLoadsTheFolderAndComputesWhatScratchGptComputes(String positions) throws Exception {
        Path checkpoint = train("run", "positional_encoding=" + positions, "bias=true", "gelu=tanh");
        Path reader = dir.resolve("reader"); // a reader's ScratchGPT folder: target/lib, the export, the program
        Path exported = reader.resolve("baby-djl");
        assertEquals(0, run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString());
        assertEquals(List.of("README.md", "model.pt", "serving.properties", "tokenizer.json"), listing(exported));

        ForkedJvm.Result program = runDocumentedCommands(reader);
        assertEquals(0, program.exitCode(), program.out() + program.err());

        // The prompt, read by DJL's HuggingFace tokenizer from the exported tokenizer.json, is ScratchGPT's reading.
        Tokenizer tokenizer = Checkpoint.read(checkpoint).tokenizer();
        int[] prompt = Arrays.stream(longs(line(program.out(), "prompt"))).mapToInt(Math::toIntExact).toArray();
        String promptText = tokenizer.decode(prompt);
        assertArrayEquals(tokenizer.encode(promptText), prompt, "the prompt's ids, DJL's tokenizer and ScratchGPT's");

        float[] expected = flatten(ReferenceGpt2.scratchLogits(checkpoint, prompt));
        float[] actual = floats(line(program.out(), "logits"));
        assertEquals(expected.length, actual.length, "(1, T, V) logits");
        int vocab = expected.length / prompt.length;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (i % vocab < tokenizer.vocabSize()) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            } else { // the baby preset pads the vocabulary: ids no text maps to are never predicted
                assertEquals(Float.NEGATIVE_INFINITY, actual[i], "padding id " + i % vocab);
            }
        }
        System.out.printf("%s: DJL application vs ScratchGPT, max |logit difference| %.2e%n", positions, worst);
        assertTrue(worst <= 1e-5, positions + ": logits differ by " + worst);

        long[] greedy = longs(line(program.out(), "greedy"));
        int newTokens = greedy.length - prompt.length;
        assertTrue(newTokens > 0, program.out());
        assertEquals(0, run("sample", "--checkpoint", checkpoint.toString(), "--prompt", promptText, "--max-tokens",
                "" + newTokens, "--temperature", "0"), err.toString());
        String sampled = out.toString().strip();
        assertEquals(sampled, text(program.out(), "greedy", "beam").strip(),
                "the text DJL's greedy search printed and sample --temperature 0");
        assertEquals(sampled, tokenizer.decode(Arrays.stream(greedy).mapToInt(Math::toIntExact).toArray()).strip(),
                "DJL's greedy ids and sample --temperature 0");
        System.out.printf("%s: greedy gives %s%n", positions, sampled.replace("\n", "\\n"));

        long[] beams = longs(line(program.out(), "beam"));
        assertEquals(3 * greedy.length, beams.length, "three beams of the full length");
        assertArrayEquals(Arrays.stream(prompt).asLongStream().toArray(), Arrays.copyOf(beams, prompt.length),
                "each beam starts with the prompt");
        assertTrue(text(program.out(), "beam", "contrastive").startsWith(promptText), "the beams' text: " + program.out());

        long[] contrastive = longs(line(program.out(), "contrastive"));
        assertEquals(greedy.length, contrastive.length, program.out());
        assertArrayEquals(Arrays.stream(prompt).asLongStream().toArray(), Arrays.copyOf(contrastive, prompt.length),
                "contrastive search continues the prompt");
        assertTrue(text(program.out(), "contrastive", null).startsWith(promptText), "its text: " + program.out());
    }

    @Test
    void badInputIsOneLineAndAnExistingFolderNeedsForce() throws Exception {
        Path missing = dir.resolve("no-such-run/best");
        Path exported = dir.resolve("djl");
        assertOneLineError(run("export", "djl", "--checkpoint", missing.toString(), "--out", exported.toString()),
                err.toString(), missing.toString());
        assertFalse(Files.exists(exported), "nothing written for a missing checkpoint");

        Path checkpoint = train("run");
        Path damaged = dir.resolve("damaged");
        copyFolder(checkpoint, damaged);
        Files.writeString(damaged.resolve(Checkpoint.CONFIG), "{}");
        assertOneLineError(run("export", "djl", "--checkpoint", damaged.toString(), "--out", exported.toString()),
                err.toString(), Checkpoint.CONFIG);
        assertFalse(Files.exists(exported), "nothing written for a damaged checkpoint");

        assertEquals(0, run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString());
        assertTrue(out.toString().contains("as a DJL model folder"), out.toString());
        byte[] first = Files.readAllBytes(exported.resolve("model.pt"));
        assertOneLineError(run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString(), exported + " already exists", "--force");
        assertArrayEquals(first, Files.readAllBytes(exported.resolve("model.pt")), "the refused export touched nothing");
        assertEquals(0, run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString(),
                "--force"), err.toString());
        assertArrayEquals(first, Files.readAllBytes(exported.resolve("model.pt")), "the same checkpoint, the same bytes");
        assertEquals(List.of("djl", "damaged", "corpus.txt", "run").stream().sorted().toList(), listing(dir),
                "no temporary folder left beside the output");
        String properties = Files.readString(exported.resolve("serving.properties"));
        assertTrue(properties.contains("engine=PyTorch") && properties.contains("numLayers=2")
                && properties.contains("numAttentionHeads=2") && properties.contains("kvDim=16"), properties);
    }

    @Test
    void precisionBf16ComputesIn16BitsAndReturnsFloat32Logits() throws Exception {
        Path checkpoint = train("run", "bias=true");
        Path exported = dir.resolve("djl-bf16");
        assertOneLineError(run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString(),
                "--precision", "bf17"), err.toString(), "bf17");
        assertEquals(0, run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString(),
                "--precision", "bf16"), err.toString());
        assertTrue(Files.readString(exported.resolve("README.md")).contains("bf16"), "the folder's README says so");
        assertTrue(Files.readString(exported.resolve("model.pt"), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("torch.to(x, 15)"), "the module casts to bfloat16 (dtype 15)");
        int[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
        float[] expected = flatten(ReferenceGpt2.scratchLogits(checkpoint, ids));
        try (ai.djl.Model model = ai.djl.Model.newInstance("exported", "PyTorch");
             ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            model.load(exported.resolve("model.pt"));
            ai.djl.ndarray.NDArray logits = model.getBlock().forward(new ai.djl.training.ParameterStore(manager, false),
                    new ai.djl.ndarray.NDList(manager.create(new long[][] {Arrays.stream(ids).asLongStream().toArray()})),
                    false).get(0);
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, logits.getDataType());
            float[] actual = logits.toFloatArray();
            int vocab = expected.length / ids.length;
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                if (i % vocab < Checkpoint.read(checkpoint).tokenizer().vocabSize()) {
                    worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                }
            }
            System.out.printf("export --precision bf16: max |logit difference| vs float32 ScratchGPT %.2e%n", worst);
            assertTrue(worst > 0 && worst < 2e-2, "bf16 logits differ from float32 by " + worst);
        }
    }

    /**
     * A model shaped like GPT-2 124M (random weights, 500 MB, deleted after) exports in seconds, into a module file of
     * the weights' size plus a little, whose logits through DJL are ScratchGPT's.
     */
    @Test
    void aGpt2SmallShapedModelExportsInSecondsAtTheSizeOfItsWeights() throws Exception {
        ReferenceGpt2.requireNumpy();
        Path hf = dir.resolve("gpt2");
        ReferenceGpt2.make(hf, 50257, "--layers", "12", "--heads", "12", "--width", "768", "--context", "1024",
                "--scale", "0.02");
        Files.copy(SharedData.gpt2Tokenizer(), hf.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, run("import", "gpt2", "--from", hf.toString(), "--out", dir.resolve("run").toString()),
                err.toString());
        deleteFolder(hf); // 500 MB: not needed any more
        Path checkpoint = dir.resolve("run/best");

        Path exported = dir.resolve("djl");
        long start = System.nanoTime();
        assertEquals(0, run("export", "djl", "--checkpoint", checkpoint.toString(), "--out", exported.toString()),
                err.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        long weightBytes = 124_439_808L * Float.BYTES;
        long size = Files.size(exported.resolve("model.pt"));
        System.out.printf("export djl (GPT-2 124M shape) took %.1f s; model.pt is %,d bytes, the weights %,d + %,d%n",
                seconds, size, weightBytes, size - weightBytes);
        assertTrue(size >= weightBytes && size - weightBytes < 100_000, "model.pt is " + size + " bytes");
        assertTrue(seconds < 120, "export took " + seconds + " s");

        int[] ids = {15496, 11, 995, 50256, 0};
        float[] expected = flatten(ReferenceGpt2.scratchLogits(checkpoint, ids));
        try (ai.djl.Model model = ai.djl.Model.newInstance("exported", "PyTorch");
             ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            model.load(exported.resolve("model.pt"));
            long[][] input = {Arrays.stream(ids).asLongStream().toArray()};
            float[] actual = model.getBlock().forward(new ai.djl.training.ParameterStore(manager, false),
                    new ai.djl.ndarray.NDList(manager.create(input)), false).get(0).toFloatArray();
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            System.out.printf("GPT-2 124M shape through DJL: max |logit difference| %.2e%n", worst);
            assertTrue(worst <= 1e-5, "logits differ by " + worst);
        }
    }

    private static void deleteFolder(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /**
     * docs/djl.md's program saved as the page says, then the page's commands that compile and run it, run as written
     * by bash in {@code reader}, a reader's ScratchGPT folder: its target/lib is the build's, with DJL's jars and no
     * ScratchGPT class.
     */
    private ForkedJvm.Result runDocumentedCommands(Path reader) throws Exception {
        String page = Files.readString(Path.of("docs/djl.md"));
        Matcher program = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertTrue(program.find(), "docs/djl.md shows a Java program");
        Files.writeString(reader.resolve("UseScratchGpt.java"), program.group(1));
        Matcher commands = Pattern.compile("```bash\n(javac .*?)```", Pattern.DOTALL).matcher(page);
        assertTrue(commands.find(), "docs/djl.md shows the commands that compile and run the program");

        List<String> jars = listing(LIB);
        assertTrue(jars.containsAll(List.of("api-0.35.1.jar", "pytorch-engine-0.35.1.jar",
                "pytorch-model-zoo-0.35.1.jar", "tokenizers-0.35.1.jar")), "DJL's jars are in target/lib: " + jars);
        assertTrue(jars.stream().noneMatch(jar -> jar.startsWith("scratchgpt")), "no ScratchGPT jar in it: " + jars);
        Files.createDirectories(reader.resolve("target"));
        Files.createSymbolicLink(reader.resolve(LIB), LIB.toAbsolutePath());
        return bash(reader, commands.group(1));
    }

    /** Runs {@code commands} with bash in {@code folder}, offline, the tests' JDK first on the path. */
    private static ForkedJvm.Result bash(Path folder, String commands) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-c", commands).directory(folder.toFile());
        bash.environment().put("DJL_OFFLINE", "true");
        bash.environment().put("OMP_NUM_THREADS", "1");
        bash.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                + bash.environment().get("PATH"));
        Path output = Files.createTempFile(folder, "out", ".txt");
        Path errors = Files.createTempFile(folder, "err", ".txt");
        Process process = bash.redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        if (!process.waitFor(600, java.util.concurrent.TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the page's commands did not finish in 600 s: " + Files.readString(errors));
        }
        return new ForkedJvm.Result(process.exitValue(), Files.readString(output), Files.readString(errors));
    }

    /** The text the program printed after its {@code label [ids]} line, up to the {@code next} label's line. */
    private static String text(String output, String label, String next) {
        int line = output.indexOf("\n" + label + " [");
        assertTrue(line >= 0, "no '" + label + "' line in: " + output);
        int start = output.indexOf('\n', line + 1) + 1;
        int end = next == null ? output.length() : output.indexOf("\n" + next + " [", start);
        assertTrue(start > 0 && end >= start, "no text after '" + label + "' in: " + output);
        return output.substring(start, end);
    }

    private static String line(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label + " [")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' line in: " + output))
                .substring(label.length() + 2).replace("]", "");
    }

    private static float[] floats(String list) {
        String[] parts = list.split(", ");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }

    private static long[] longs(String list) {
        return Arrays.stream(list.split(", ")).mapToLong(Long::parseLong).toArray();
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return flat;
    }

    private static List<String> listing(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static void copyFolder(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
