package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.cli.InstructionTuningCommandTest.Run;
import org.scratchgpt.tokenizer.CharTokenizer;

/**
 * Instruction tuning and chat against the model's context, through the command line, on a tiny character-level
 * model with the baby preset's context of 64: conversations cut before their answer, answers longer than the
 * context allows, a history that outgrows it, and characters the vocabulary lacks.
 */
class ChatContextCommandTest {
    private static final int CONTEXT = 64;
    private static final String SHORT = conversation("to be", "or not to be");
    /** Its user message alone is longer than the context: cut to 65 tokens, it keeps nothing of the answer. */
    private static final String LONG = conversation(TinyRun.LINE.strip(), "to be");

    @TempDir static Path dir;
    static Path base;
    static Path tuned;

    @BeforeAll
    static void trainAndTune() throws Exception {
        int characters = CharTokenizer.fromText(TinyRun.LINE).vocabSize();
        base = TinyRun.train(dir, "base", CONTEXT, 10, 10, "vocab_size=" + characters);
        Path chat = Files.writeString(dir.resolve("chat.jsonl"), (SHORT + LONG).repeat(3));
        Run run = finetune("tuned", "--chat", chat.toString(), "--chat-val", write("val.jsonl", SHORT),
                "--set", "max_iters=2");
        assertEquals(0, run.exitCode(), run.output() + run.error());
        tuned = dir.resolve("tuned").resolve("latest");
    }

    @Test
    void conversationsAllCutBeforeTheirAnswerAreOneErrorBeforeAnyWork() throws Exception {
        Run run = finetune("all-cut", "--chat", write("long.jsonl", LONG.repeat(4)));
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "nothing to learn: all 3 training conversations",
                "cut to its 65 tokens (context_length 64 + 1)", "shorten their system and user messages");
        assertFalse(run.error().contains("val loss") || run.output().contains("val loss"), "before any work");
        assertTrue(Files.notExists(dir.resolve("all-cut")), "nothing written");

        run = finetune("val-cut", "--chat", write("short.jsonl", SHORT.repeat(4)), "--chat-val",
                write("long-val.jsonl", LONG.repeat(2)));
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "nothing to learn: all 2 validation conversations");
        assertTrue(Files.notExists(dir.resolve("val-cut")), "nothing written");
    }

    /** One learnable conversation among nine cut ones, one per batch: the cut ones are left out, so no step is empty. */
    @Test
    void conversationsCutBeforeTheirAnswerAreLeftOut() throws Exception {
        Run run = finetune("some-cut", "--chat", write("mixed.jsonl", LONG.repeat(9) + SHORT), "--chat-val",
                write("mixed-val.jsonl", SHORT + LONG), "--set", "batch_size=1", "--set", "max_iters=3");
        assertEquals(0, run.exitCode(), run.output() + run.error());
    }

    /** The default --max-tokens 200 on a context of 64: answers capped at 32, said once; every message answered. */
    @Test
    void answersAreCappedToHalfTheContextAndTheHistoryStaysWithinIt() {
        Run run = chat("to be\nthat is\nwhether\nin the\nto be or not\n");
        assertEquals(0, run.exitCode(), run.error());
        assertFalse(run.output().contains("too long"), run.output());
        assertEquals(1, count(run.error(), "answers are capped at 32 tokens: the model's context is 64"), run.error());
        assertEquals(1, count(run.error(), "the oldest exchanges are dropped"), "said once: " + run.error());
        Run explicit = chat("to be\n", "--max-tokens", "100");
        assertEquals(0, explicit.exitCode(), explicit.error());
        assertTrue(explicit.error().contains("answers are capped at 32 tokens"), explicit.error());
        Run fits = chat("to be\n", "--max-tokens", "5");
        assertEquals("", fits.error(), "no cap to speak of");
    }

    @Test
    void aSystemMessageThatLeavesNoRoomIsOneErrorWithTheFix() {
        Run run = chat("to be\n", "--system", "to be or not to be, that is the question");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "the system message is too long",
                "give a shorter --system, or --max-tokens 18 or less");
        assertEquals(0, chat("to be\n", "--system", "to be or not to be, that is the question", "--max-tokens", "18")
                .exitCode());
        run = chat("to be\n", "--system", TinyRun.LINE.strip());
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "give a shorter --system");
        assertFalse(run.error().contains("--max-tokens"), "no --max-tokens leaves room for it: " + run.error());
    }

    /** A character the model's vocabulary lacks refuses that message only; the conversation goes on. */
    @Test
    void aMessageWithAnUnknownCharacterIsRefusedAndTheConversationGoesOn() {
        Run run = chat("to bé\nto be\n", "--max-tokens", "5");
        assertEquals(0, run.exitCode(), run.error());
        assertTrue(run.output().contains("(character 5 of that message, 'é' (U+00E9), is not in the model's vocabulary"
                + " of characters; write the message without it)\n> "), run.output());
        assertEquals(3, run.output().split("> ", -1).length - 1, "prompts for both messages and the end: " + run.output());
        run = chat("to be\n", "--system", "bé");
        CliAssertions.assertOneLineError(run.exitCode(), run.error(), "character 2 of the system message, 'é' (U+00E9)",
                "give --system without it");
    }

    private static Run chat(String input, String... options) {
        List<String> args = new ArrayList<>(List.of("chat", "--checkpoint", tuned.toString(), "--temperature", "0",
                "--device", "cpu"));
        args.addAll(List.of(options));
        return InstructionTuningCommandTest.run(input, args.toArray(String[]::new));
    }

    private static Run finetune(String name, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", "--from", base.toString(), "--out",
                dir.resolve(name).toString(), "--device", "cpu", "--quiet"));
        args.addAll(List.of(options));
        return InstructionTuningCommandTest.run(null, args.toArray(String[]::new));
    }

    private static String conversation(String user, String assistant) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"" + user + "\"}, {\"role\": \"assistant\","
                + " \"content\": \"" + assistant + "\"}]}\n";
    }

    private static String write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
