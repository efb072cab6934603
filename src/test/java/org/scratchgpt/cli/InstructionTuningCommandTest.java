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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.chat.ChatTemplate;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.training.Checkpoint;
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
        Run run = run(null, "finetune", "--from", base.toString(), "--chat", chat.toString(), "--out",
                dir.resolve("tuned").toString(), "--set", "max_iters=2", "--set", "learning_rate=1e-30", "--quiet");
        assertEquals(0, run.exitCode(), run.output());
        tuned = dir.resolve("tuned").resolve("latest");
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

    /** Not supported yet: its checkpoint does not record that its data are conversations. */
    @Test
    void resumingAnInstructionTuningRunIsRefusedNotMisread() throws Exception {
        Run run = run(null, "train", "--resume", tuned.toString(), "--device", "cpu");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "instruction-tuning run", "cannot be resumed yet");
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
