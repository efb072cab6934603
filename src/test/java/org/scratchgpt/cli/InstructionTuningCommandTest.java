package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.chat.ChatTemplate;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.tokenizer.CharTokenizer;
import picocli.CommandLine;

/**
 * {@code finetune --chat} and {@code chat} through the command line, on a tiny model whose vocab_size is exactly its
 * tokenizer's, so the chat tokens make the vocabulary grow. Its learning rate is 1e-30: the weights stay as loaded,
 * so the tuned checkpoint shows what growing did to them. (The demonstration that tuning teaches a task is
 * {@code InstructionTuningDemoTest}.)
 */
class InstructionTuningCommandTest {
    private static final String CONVERSATIONS = """
            {"messages": [{"role": "user", "content": "to be"}, {"role": "assistant", "content": "or not to be"}]}
            {"messages": [{"role": "system", "content": "the mind"}, {"role": "user", "content": "that is"}, {"role": "assistant", "content": "the question"}]}
            {"messages": [{"role": "user", "content": "whether"}, {"role": "assistant", "content": "'tis nobler"}]}
            {"messages": [{"role": "user", "content": "in the"}, {"role": "assistant", "content": "mind to suffer"}]}
            """;

    @TempDir static Path dir;
    static Path base;
    static Path tuned;
    static int characters;

    @BeforeAll
    static void trainAndTune() throws Exception {
        characters = CharTokenizer.fromText(TinyRun.LINE).vocabSize();
        base = TinyRun.train(dir, "base", 32, 10, 10, "vocab_size=" + characters);
        Path chat = Files.writeString(dir.resolve("chat.jsonl"), CONVERSATIONS);
        tuned = tune("tuned", chat, "--set", "max_iters=2", "--set", "learning_rate=1e-30");
    }

    /** Instruction-tunes {@code base} on {@code chat}, with further {@code options}, into dir/name; returns its latest/. */
    private static Path tune(String name, Path chat, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", "--from", base.toString(), "--chat", chat.toString(),
                "--out", dir.resolve(name).toString(), "--device", "cpu", "--quiet"));
        args.addAll(List.of(options));
        Run run = run(null, args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output() + run.error());
        return dir.resolve(name).resolve("latest");
    }

    @Test
    void theChatTokensGrowTheVocabularyAndTheirRowsAreDrawnLikeTheOthers() throws Exception {
        Checkpoint.Contents contents = Checkpoint.read(tuned);
        assertEquals(characters + 4, contents.model().vocabSize());
        assertEquals(characters + 3, contents.tokenizer().specialTokens().get(ChatTemplate.END));
        NDArray before = tokenRows(base, characters);                                  // (n, C)
        NDArray after = tokenRows(tuned, characters + 4);                              // (n + 4, C)
        assertArrayEquals(before.toFloatArray(), after.get(new NDIndex("0:" + characters)).toFloatArray(),
                "existing rows unchanged");
        // New rows drawn per column from N(mean, std) of the existing rows: distinct, and within 6 std of the mean.
        NDArray mean = before.mean(new int[] {0});                                     // (C)
        NDArray std = before.sub(mean).square().mean(new int[] {0}).sqrt();            // (C)
        float[] z = after.get(new NDIndex(characters + ":")).sub(mean).div(std).toFloatArray(); // (4, C)
        for (float value : z) {
            assertTrue(Math.abs(value) < 6, "a new row's number " + value + " std from its column's mean");
        }
        for (int row = characters; row < characters + 3; row++) {
            assertTrue(after.get(row).sub(after.get(row + 1)).abs().max().getFloat() > 0, "rows " + row + " and " + (row + 1));
        }
    }

    /**
     * An instruction-tuned model is talked with: finetune --chat (and a resume of it) ends by naming the chat command,
     * not sample; and chat takes the run folder, for its best/.
     */
    @Test
    void anInstructionTuningRunEndsWithTheChatCommandWhichTakesItsRunFolder() throws Exception {
        Path chat = dir.resolve("chat.jsonl");
        Path folder = dir.resolve("hinted");
        Run tuning = run(null, "finetune", "--from", base.toString(), "--chat", chat.toString(), "--out",
                folder.toString(), "--set", "max_iters=1", "--device", "cpu", "--quiet");
        assertEquals(0, tuning.exitCode(), tuning.output() + tuning.error());
        String hint = "chat with: ./scratchgpt chat --checkpoint " + folder.resolve("best");
        assertTrue(tuning.output().contains(hint) && !tuning.output().contains("sample with"), tuning.output());
        Run resumed = run(null, "train", "--resume", folder.toString(), "--set", "max_iters=2", "--device", "cpu",
                "--quiet");
        assertEquals(0, resumed.exitCode(), resumed.output() + resumed.error());
        assertTrue(resumed.output().contains(hint), resumed.output());

        Run talk = run("to be\n/exit\n", "chat", "--checkpoint", folder.toString(), "--temperature", "0",
                "--max-tokens", "3", "--device", "cpu");
        assertEquals(0, talk.exitCode(), talk.output() + talk.error());
        assertTrue(talk.error().startsWith("using " + folder.resolve("best") + " (the run's best checkpoint"),
                talk.error());
    }

    /** Piped lines: each is a message, the answer streams after it; /exit ends and what follows is not read. */
    @Test
    void chatReadsPipedLinesUntilExit() throws Exception {
        Run run = run("to be\nthat is\n\n/exit\nin the\n", "chat", "--checkpoint", tuned.toString(), "--temperature", "0",
                "--max-tokens", "5", "--system", "the mind");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith("Chatting with " + tuned), run.output());
        assertEquals(4, run.output().split("> ", -1).length - 1, "prompts for 2 messages, a blank line, /exit: "
                + run.output());
        Run again = run("to be\nthat is\n", "chat", "--checkpoint", tuned.toString(), "--temperature", "0",
                "--max-tokens", "5", "--system", "the mind");
        assertEquals(run.output(), again.output() + "> ", "end of input ends too (one prompt less: no blank line, no"
                + " /exit), and greedy answers are the same each time");
    }

    /**
     * Stopped after 3 of 6 steps and resumed (its chat file moved meanwhile, and passed with --chat), an
     * instruction-tuning run ends bit for bit as the uninterrupted one: the same conversations in the same order,
     * the masked loss, and the checkpoint's vocabulary, not grown a second time.
     */
    @Test
    void aResumedInstructionTuningRunEqualsTheUninterruptedOne() throws Exception {
        Path val = Files.writeString(dir.resolve("val.jsonl"), CONVERSATIONS.lines().skip(2).collect(
                Collectors.joining("\n", "", "\n")));
        // The schedule is given, as the default one depends on max_iters.
        String[] options = {"--chat-val", val.toString(), "--set", "warmup_iters=1", "--set", "lr_decay_iters=6",
            "--set", "eval_interval=3", "--set", "max_iters="};
        Path whole = tune("whole", Files.writeString(dir.resolve("whole.jsonl"), CONVERSATIONS), withLast(options, "6"));
        Path moving = Files.writeString(dir.resolve("moving.jsonl"), CONVERSATIONS);
        Path halves = tune("halves", moving, withLast(options, "3"));
        Path moved = Files.move(moving, dir.resolve("moved.jsonl"));
        assertTrue(Files.readString(halves.resolve("state.json")).contains(moving.toString()), "the chat file recorded");

        Run resumed = run(null, "train", "--resume", halves.toString(), "--chat", moved.toString(), "--set",
                "max_iters=6", "--device", "cpu", "--quiet");
        assertEquals(0, resumed.exitCode(), resumed.output() + resumed.error());
        assertEquals(6, Checkpoint.read(halves).state().step());
        assertEquals(characters + 4, Checkpoint.read(halves).model().vocabSize(), "the vocabulary grew once");
        for (String file : new String[] {"scratchgpt-0006.params", "optimizer.bin", "tokenizer.json"}) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(file)), Files.readAllBytes(halves.resolve(file)), file);
        }
        assertEquals(Checkpoint.read(whole).state().samplerState(), Checkpoint.read(halves).state().samplerState());
    }

    /** The conversations are recognised by their SHA-256: a changed or another file is one line naming it. */
    @Test
    void aResumedRunWithAChangedChatFileIsOneError() throws Exception {
        Path chat = Files.writeString(dir.resolve("changing.jsonl"), CONVERSATIONS);
        Path latest = tune("changing", chat, "--set", "max_iters=1");
        Files.writeString(chat, CONVERSATIONS.replace("or not to be", "or not"));
        Run run = run(null, "train", "--resume", latest.toString(), "--set", "max_iters=2", "--device", "cpu");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), chat + " has changed since this run trained on it",
                "--chat FILE");
        Path other = Files.writeString(dir.resolve("other.jsonl"), CONVERSATIONS.lines().findFirst().get());
        run = run(null, "train", "--resume", latest.toString(), "--chat", other.toString(), "--set", "max_iters=2",
                "--device", "cpu");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), other + " is not the chat file this run trained on");
        run = run(null, "train", "--resume", latest.toString(), "--corpus", other.toString(), "--device", "cpu");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "--corpus and --dataset cannot change",
                "give --chat FILE");
        run = run(null, "train", "--resume", latest.toString(), "--chat-val", other.toString(), "--device", "cpu");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "--chat-val cannot change a resumed run");
        assertEquals(1, Checkpoint.read(latest).state().step(), "nothing trained");
        run = run(null, "train", "--chat", chat.toString(), "--out", dir.resolve("fresh").toString());
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "--resume", "scratchgpt finetune");
    }

    /** {@code options} with {@code tail} appended to its last one. */
    private static String[] withLast(String[] options, String tail) {
        String[] copy = Arrays.copyOf(options, options.length);
        copy[copy.length - 1] += tail;
        return copy;
    }

    @Test
    void aModelThatWasNotInstructionTunedIsRefusedWithTheFix() throws Exception {
        Run run = run("hello\n", "chat", "--checkpoint", base.toString());
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "no chat token", "finetune --from CHECKPOINT --chat");
    }

    @Test
    void aBadConversationLineIsOneErrorBeforeTraining() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), CONVERSATIONS + "{\"messages\": [{\"role\": \"user\"}]}\n");
        Run run = run(null, "finetune", "--from", base.toString(), "--chat", bad.toString(), "--out",
                dir.resolve("bad").toString());
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), bad + " line 5, message 1 has no \"content\" string");
        Path unknown = Files.writeString(dir.resolve("unknown.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"to be\"}, {\"role\": \"assistant\", \"content\": \"yes!\"}]}\n"
                        + CONVERSATIONS);
        run = run(null, "finetune", "--from", base.toString(), "--chat", unknown.toString(), "--out",
                dir.resolve("bad").toString());
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), unknown + " line 1: character 1 of a assistant message,"
                + " 'y' (U+0079)");
        assertTrue(Files.notExists(dir.resolve("bad")), "nothing written");
    }

    private static NDArray tokenRows(Path checkpoint, int rows) throws Exception {
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        try (Model model = Model.newInstance("rows")) {
            model.setBlock(new Gpt(contents.model()));
            Checkpoint.loadInto(model, checkpoint, new Shape(1, 4));
            NDArray weights = model.getBlock().getParameters().valueAt(0).getArray(); // the token embedding comes first
            assertEquals(rows, weights.getShape().get(0));
            NDArray copy = weights.duplicate();
            copy.detach(); // outlives the model
            return copy;
        }
    }

    record Run(int exitCode, String output, String error) {}

    static Run run(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        if (input != null) {
            ((ChatCommand) cli.getSubcommands().get("chat").getCommand()).input =
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        }
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
