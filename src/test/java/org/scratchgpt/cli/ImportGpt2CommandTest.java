package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.SharedData;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.hf.ReferenceGpt2;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import picocli.CommandLine;

/**
 * {@code scratchgpt import gpt2} through the real command line: every kind of bad folder is one line naming the
 * tensor or field; GPT-2's own tokenizer (shared) in either form; a GPT-2-124M-shaped folder imports and samples.
 */
class ImportGpt2CommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void numpy() {
        ReferenceGpt2.requireNumpy();
    }

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path tinyFolder(String... extra) throws Exception {
        Path folder = Files.createTempDirectory(dir, "hf");
        List<String> options = new java.util.ArrayList<>(List.of("--layers", "2", "--heads", "2", "--width", "8",
                "--context", "16", "--buffers"));
        options.addAll(List.of(extra));
        ReferenceGpt2.make(folder, 23, options.toArray(String[]::new));
        return folder;
    }

    private void assertImportFails(Path folder, String... expected) {
        err.getBuffer().setLength(0);
        Path target = dir.resolve("never");
        assertOneLineError(run("import", "gpt2", "--from", folder.toString(), "--out", target.toString()),
                err.toString(), expected);
        assertFalse(Files.exists(target), "a failed import leaves no folder");
    }

    private static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(from), from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.ISO_8859_1);
    }

    @Test
    void badFoldersAreOneLineNamingTheTensorOrField() throws Exception {
        Path other = tinyFolder();
        edit(other.resolve("config.json"), "\"model_type\": \"gpt2\"", "\"model_type\": \"llama\"");
        assertImportFails(other, "describes a 'llama' model (model_type), not GPT-2");

        Path missingField = tinyFolder();
        edit(missingField.resolve("config.json"), "\"n_head\": 2,", "");
        assertImportFails(missingField, "has no n_head");

        Path wrongKinds = tinyFolder();
        edit(wrongKinds.resolve("config.json"), "\"model_type\": \"gpt2\"", "\"model_type\": {\"name\": \"gpt2\"}");
        assertImportFails(wrongKinds, "model_type must be text, got {\"name\":\"gpt2\"}");
        Path textNumber = tinyFolder();
        edit(textNumber.resolve("config.json"), "\"n_layer\": 2", "\"n_layer\": \"two\"");
        assertImportFails(textNumber, "n_layer must be a whole number, got \"two\"");
        Path wrongFlag = tinyFolder();
        edit(wrongFlag.resolve("config.json"), "\"n_inner\": null", "\"n_inner\": null, \"tie_word_embeddings\": \"yes\"");
        assertImportFails(wrongFlag, "tie_word_embeddings must be true or false, got \"yes\"");
        Path innerWidth = tinyFolder();
        edit(innerWidth.resolve("config.json"), "\"n_inner\": null", "\"n_inner\": 64");
        assertImportFails(innerWidth, "n_inner 64 is not 4 x n_embd (32)");

        Path moreLayers = tinyFolder();
        edit(moreLayers.resolve("config.json"), "\"n_layer\": 2", "\"n_layer\": 3");
        assertImportFails(moreLayers, "has no tensor h.2.ln_1.weight", "GPT-2 of 3 layers");

        Path fewerLayers = tinyFolder();
        edit(fewerLayers.resolve("config.json"), "\"n_layer\": 2", "\"n_layer\": 1");
        assertImportFails(fewerLayers, "holds tensors a GPT-2 of 1 layers does not have: h.1.");

        Path longer = tinyFolder();
        edit(longer.resolve("config.json"), "\"n_positions\": 16", "\"n_positions\": 32");
        assertImportFails(longer, "tensor wpe.weight has shape (16, 8), but config.json's GPT-2 needs (32, 8)");

        Path truncated = tinyFolder();
        Path weights = truncated.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertImportFails(truncated, "model.safetensors", "the file is truncated");

        Path lyingDtype = tinyFolder();
        edit(lyingDtype.resolve("model.safetensors"), "{\"dtype\": \"F32\", \"shape\": [23, 8]",
                "{\"dtype\": \"F16\", \"shape\": [23, 8]");
        assertImportFails(lyingDtype, "tensor wte.weight has shape [23, 8] of F16, which is 368 bytes");

        Path pickle = tinyFolder();
        Files.move(pickle.resolve("model.safetensors"), pickle.resolve("pytorch_model.bin"));
        assertImportFails(pickle, "has pytorch_model.bin but no model.safetensors", "a pickle can run code",
                "save_file(torch.load('pytorch_model.bin', weights_only=True)");

        Path noTokenizer = tinyFolder();
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        assertImportFails(noTokenizer, "has no tokenizer: it needs tokenizer.json, or vocab.json and merges.txt");

        assertImportFails(dir.resolve("nowhere"), "--from " + dir.resolve("nowhere") + " not found");

        Path fine = tinyFolder();
        Files.createDirectories(dir.resolve("taken"));
        err.getBuffer().setLength(0);
        assertOneLineError(run("import", "gpt2", "--from", fine.toString(), "--out", dir.resolve("taken").toString()),
                err.toString(), "already exists");
    }

    /**
     * A tokenizer that is not the weights' is refused: a character tokenizer with GPT-2's 50257 rows (it used to be
     * accepted and sample gibberish), or one larger than the vocabulary; GPT-2's own, with the vocabulary padded to
     * 50304 rows as nanoGPT pads it, imports.
     */
    @Test
    void aTokenizerThatIsNotTheWeightsIsRefused() throws Exception {
        Path characters = Files.createTempDirectory(dir, "hf");
        ReferenceGpt2.make(characters, 50257, "--layers", "1", "--heads", "1", "--width", "4", "--context", "8");
        assertImportFails(characters, "the tokenizer in " + characters + " has 20 tokens but the weights' vocabulary"
                + " (config.json's vocab_size) has 50257 rows: it is not this model's tokenizer",
                "give the tokenizer.json (or vocab.json and merges.txt) that came with the weights");

        Path larger = tinyFolder();
        java.util.Map<String, Integer> chars = new java.util.TreeMap<>();
        for (int i = 0; i < 24; i++) {
            chars.put(String.valueOf((char) ('a' + i)), i);
        }
        TokenizerJson.save(new org.scratchgpt.tokenizer.CharTokenizer(chars), larger.resolve("tokenizer.json"));
        assertImportFails(larger, "has 24 tokens but the weights' vocabulary (config.json's vocab_size) has 23 rows");

        Path padded = Files.createTempDirectory(dir, "hf");
        ReferenceGpt2.make(padded, 50304, "--layers", "1", "--heads", "1", "--width", "4", "--context", "8");
        Files.copy(SharedData.gpt2Tokenizer(), padded.resolve("tokenizer.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, run("import", "gpt2", "--from", padded.toString(), "--out", dir.resolve("padded").toString()),
                err.toString());
    }

    /** An imported model continues training like a trained one: train --resume latest/ with a corpus of its own. */
    @Test
    void importedModelFineTunes() throws Exception {
        Path folder = tinyFolder();
        Path run = dir.resolve("run");
        assertEquals(0, run("import", "gpt2", "--from", folder.toString(), "--out", run.toString()), err.toString());
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "abcdefghijklmnopqrst".repeat(200));
        assertEquals(0, run("train", "--resume", run.resolve("latest").toString(), "--corpus", corpus.toString(),
                "--set", "max_iters=4", "--set", "eval_interval=2", "--set", "eval_iters=1", "--set", "batch_size=2",
                "--set", "warmup_iters=1", "--set", "lr_decay_iters=4", "--quiet"), err.toString());
        assertEquals(4, Checkpoint.read(run.resolve("latest")).state().step());
        // best/ began as links to the imported latest/; after both were replaced by training it is whole and its own
        assertTrue(Checkpoint.read(run.resolve("best")).state().step() > 0, "the first evaluation improved on none");
        assertEquals(0, run("sample", "--checkpoint", run.resolve("best").toString(), "--prompt", "abc",
                "--max-tokens", "3"), err.toString());
    }

    /**
     * A 2-layer GPT-2 is not the gpt2 preset and is not called one: the report and the card describe its shape. The
     * card points to finetune, which is how an imported model is fine-tuned, and finetune takes the run folder itself.
     */
    @Test
    void anImportedModelIsLabelledByItsShapeAndItsCardPointsToFinetune() throws Exception {
        Path folder = tinyFolder();
        Path run = dir.resolve("labelled");
        assertEquals(0, run("import", "gpt2", "--from", folder.toString(), "--out", run.toString()), err.toString());
        String report = out.toString();
        assertTrue(report.contains("(2 layers, 2 heads, 8 wide, context 16, vocabulary 23; no preset's shape)"), report);
        assertFalse(report.contains("preset gpt2"), report);
        assertTrue(report.contains("fine-tune with: ./scratchgpt finetune --from " + run.resolve("best")), report);
        String card = Files.readString(run.resolve("best").resolve("README.md"));
        assertTrue(card.contains("A GPT-2 of its own shape (no preset's)") && card.contains("2 layers, 2 heads, 8 wide"),
                card);
        assertFalse(card.contains("preset gpt2"), card);
        assertTrue(card.contains("./scratchgpt finetune --from <this folder> --corpus FILE"), card);
        assertFalse(card.contains("train --resume"), card);
        assertEquals("imported GPT-2", Checkpoint.read(run.resolve("best")).state().preset(),
                "the state too names no preset it is not");

        Path corpus = Files.writeString(dir.resolve("letters.txt"), "abcdefghijklmnopqrst".repeat(200));
        err.getBuffer().setLength(0);
        assertEquals(0, run("finetune", "--from", run.toString(), "--corpus", corpus.toString(), "--out",
                dir.resolve("labelled-tuned").toString(), "--set", "max_iters=2", "--quiet", "--device", "cpu"),
                err.toString());
        String tunedCard = Files.readString(dir.resolve("labelled-tuned").resolve("best").resolve("README.md"));
        assertTrue(tunedCard.startsWith("# ScratchGPT checkpoint: imported GPT-2, step"), tunedCard);
    }

    /** vocab.json + merges.txt, the older form of GPT-2's tokenizer, becomes the same tokenizer as tokenizer.json. */
    @Test
    void vocabAndMergesBecomeGpt2sTokenizer() throws Exception {
        Path shared = SharedData.gpt2Tokenizer();
        Path folder = Files.createTempDirectory(dir, "hf");
        ReferenceGpt2.make(folder, 50257, "--layers", "1", "--heads", "1", "--width", "4", "--context", "8");
        Files.delete(folder.resolve("tokenizer.json"));
        // The two files as published, derived here from the shared tokenizer.json.
        Process split = new ProcessBuilder("python3", "-c", """
                import json, sys
                t = json.load(open(sys.argv[1]))
                json.dump(t["model"]["vocab"], open(sys.argv[2] + "/vocab.json", "w"), ensure_ascii=False)
                with open(sys.argv[2] + "/merges.txt", "w") as f:
                    f.write("#version: 0.2\\n")
                    for a, b in t["model"]["merges"]:
                        f.write(a + " " + b + "\\n")
                """, shared.toString(), folder.toString()).inheritIO().start();
        assertEquals(0, split.waitFor());
        assertEquals(0, run("import", "gpt2", "--from", folder.toString(), "--out", dir.resolve("run").toString()),
                err.toString());
        Tokenizer imported = Checkpoint.read(dir.resolve("run/best")).tokenizer();
        Tokenizer original = TokenizerJson.load(shared);
        String text = "Hello world! It's GPT-2's tokenizer <|endoftext|> café 123";
        org.junit.jupiter.api.Assertions.assertArrayEquals(original.encode(text), imported.encode(text));
        assertEquals(original.vocabSize(), imported.vocabSize());
    }

    /**
     * A folder shaped like GPT-2 124M (random weights, 500 MB, deleted after) with GPT-2's own tokenizer imports and
     * samples end to end.
     */
    @Test
    void gpt2SmallShapedFolderImportsAndSamples() throws Exception {
        Path shared = SharedData.gpt2Tokenizer();
        Path folder = dir.resolve("gpt2");
        long start = System.nanoTime();
        ReferenceGpt2.make(folder, 50257, "--layers", "12", "--heads", "12", "--width", "768", "--context", "1024",
                "--scale", "0.02", "--buffers");
        Files.copy(shared, folder.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("made a random GPT-2 124M folder in %.1f s%n", (System.nanoTime() - start) / 1e9);

        start = System.nanoTime();
        assertEquals(0, run("import", "gpt2", "--from", folder.toString(), "--out", dir.resolve("run").toString()),
                err.toString());
        System.out.printf("import gpt2 (124M) took %.1f s: %s", (System.nanoTime() - start) / 1e9, out);
        assertTrue(out.toString().contains("124,439,808 parameters (preset gpt2)"), out.toString());
        int[] ids = {15496, 11, 995, 50256, 0};
        double difference = ReferenceGpt2.maxDifference(ReferenceGpt2.scratchLogits(dir.resolve("run/best"), ids),
                ReferenceGpt2.logits(folder, ids));
        System.out.printf("GPT-2 124M shape: max |logit difference| vs NumPy GPT-2 %.2e%n", difference);
        assertTrue(difference < 1e-4, "max logit difference " + difference);
        Files.delete(folder.resolve("model.safetensors")); // 500 MB: not needed any more

        out.getBuffer().setLength(0);
        start = System.nanoTime();
        assertEquals(0, run("sample", "--checkpoint", dir.resolve("run/best").toString(), "--prompt", "Hello, world",
                "--max-tokens", "8", "--seed", "1"), err.toString());
        System.out.printf("sample of 8 tokens took %.1f s: %s%n", (System.nanoTime() - start) / 1e9, out.toString().strip());
        assertTrue(out.toString().startsWith("Hello, world"), out.toString());
        assertTrue(out.toString().strip().length() > "Hello, world".length(), out.toString());
    }
}
