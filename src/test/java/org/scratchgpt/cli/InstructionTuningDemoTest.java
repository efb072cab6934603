package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.chat.ChatTemplate;
import org.scratchgpt.chat.Message;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.generation.Generation;
import org.scratchgpt.generation.SamplingSettings;
import org.scratchgpt.generation.TextGenerator;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.training.VocabularyGrowth;

/**
 * The demonstration that instruction tuning works, on a task the test makes up: reversing a three-letter word of the
 * letters a-h, asked as "rev abc" and answered "cba". A tiny character-level model is first pretrained briefly on
 * generated text (random words of those letters, and "rev"), so it knows the characters but has never seen the chat
 * template or the task. Of the 512 words, 50 are held out for the test and 20 for validation; the model is tuned on
 * conversations about the other 442 and must reverse the held-out words exactly (greedy decoding, stopping at
 * {@code <|end|>}). Untuned it scores near 0% (it has never produced {@code <|end|>}); tuned, at least 90%.
 */
class InstructionTuningDemoTest {
    private static final String LETTERS = "abcdefgh";
    private static final int HELD_OUT = 50;
    private static final int VALIDATION = 20;
    static final String[] MODEL = {"--set", "n_layer=2", "--set", "n_embd=64", "--set", "n_head=4",
        "--set", "context_length=16", "--set", "dropout=0"};

    @TempDir Path dir;

    @Test
    void instructionTuningTeachesAnUnseenTask() throws Exception {
        long start = System.nanoTime();
        List<String> words = allWords();
        List<String> test = words.subList(0, HELD_OUT);
        List<String> val = words.subList(HELD_OUT, HELD_OUT + VALIDATION);
        List<String> train = words.subList(HELD_OUT + VALIDATION, words.size());

        Path corpus = Files.writeString(dir.resolve("corpus.txt"), pretrainingText());
        run("train", "--corpus", corpus.toString(), "--out", dir.resolve("base").toString(), "--set", "batch_size=16",
                "--set", "max_iters=40", "--set", "eval_interval=40", "--set", "eval_iters=1", "--set",
                "learning_rate=3e-3", "--set", "warmup_iters=10", "--set", "lr_decay_iters=40");
        Path base = dir.resolve("base").resolve("latest");
        double pretrainSeconds = (System.nanoTime() - start) / 1e9;
        double before = untunedAccuracy(base, test);

        long tuneStart = System.nanoTime();
        run("finetune", "--from", base.toString(), "--chat", conversations("train.jsonl", train).toString(),
                "--chat-val", conversations("val.jsonl", val).toString(), "--out", dir.resolve("tuned").toString(),
                "--set", "max_iters=300", "--set", "learning_rate=3e-3", "--set", "batch_size=16");
        double tuneSeconds = (System.nanoTime() - tuneStart) / 1e9;
        Path tuned = dir.resolve("tuned").resolve("latest");
        double after = accuracy(tuned, test);
        System.out.printf("instruction tuning demo: exact match on %d held-out words %.0f%% untuned, %.0f%% tuned;"
                + " pretraining %.1f s, tuning %.1f s, all %.1f s%n", test.size(), 100 * before, 100 * after,
                pretrainSeconds, tuneSeconds, (System.nanoTime() - start) / 1e9);
        assertTrue(before <= 0.1, "untuned accuracy " + before);
        assertTrue(after >= 0.9, "tuned accuracy " + after);

        String question = test.get(0);
        var chat = InstructionTuningCommandTest.run("rev " + question + "\n", "chat", "--checkpoint", tuned.toString(),
                "--temperature", "0", "--max-tokens", "6");
        assertEquals(0, chat.exitCode(), chat.error());
        assertTrue(chat.output().contains("> " + reversed(question) + "\n"), chat.output());
    }

    /** Every three-letter word of a-h, in an order fixed by the seed. */
    private static List<String> allWords() {
        List<String> words = new ArrayList<>();
        for (char a : LETTERS.toCharArray()) {
            for (char b : LETTERS.toCharArray()) {
                for (char c : LETTERS.toCharArray()) {
                    words.add("" + a + b + c);
                }
            }
        }
        Collections.shuffle(words, new Random(7));
        return words;
    }

    /** Lines of random words of one to five letters (a-i), "rev" among them: the characters, not the task. */
    private static String pretrainingText() {
        Random random = new Random(1);
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 3000; line++) {
            int count = 3 + random.nextInt(4);
            for (int w = 0; w < count; w++) {
                if (random.nextInt(6) == 0) {
                    text.append("rev");
                } else {
                    for (int length = 1 + random.nextInt(5); length > 0; length--) {
                        text.append("abcdefghi".charAt(random.nextInt(9)));
                    }
                }
                text.append(w == count - 1 ? '\n' : ' ');
            }
        }
        return text.toString();
    }

    private Path conversations(String name, List<String> words) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String word : words) {
            lines.append("{\"messages\": [{\"role\": \"user\", \"content\": \"rev ").append(word)
                    .append("\"}, {\"role\": \"assistant\", \"content\": \"").append(reversed(word)).append("\"}]}\n");
        }
        return Files.writeString(dir.resolve(name), lines);
    }

    private static String reversed(String word) {
        return new StringBuilder(word).reverse().toString();
    }

    /** The pretrained model as tuning starts from it: the chat tokens added, their rows the mean of the others. */
    private static double untunedAccuracy(Path base, List<String> test) throws IOException {
        Checkpoint.Contents contents = Checkpoint.read(base);
        Tokenizer tokenizer = ChatTemplate.withChatTokens(contents.tokenizer());
        GptConfig config = VocabularyGrowth.configFor(contents.model(), tokenizer.vocabSize());
        try (Model model = Model.newInstance("untuned")) {
            model.setBlock(new Gpt(config));
            VocabularyGrowth.loadWithNewTokens(model, base, contents.model(), contents.tokenizer().vocabSize(),
                    tokenizer.vocabSize(), new Shape(1, config.contextLength()));
            return accuracy(model, config, tokenizer, test);
        }
    }

    private static double accuracy(Path checkpoint, List<String> test) throws IOException {
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        try (Model model = Model.newInstance("tuned")) {
            model.setBlock(new Gpt(contents.model()));
            Checkpoint.loadInto(model, checkpoint, new Shape(1, contents.model().contextLength()));
            return accuracy(model, contents.model(), contents.tokenizer(), test);
        }
    }

    /** The share of words whose greedy answer is exactly their reversal, ended by {@code <|end|>}. */
    private static double accuracy(Model model, GptConfig config, Tokenizer tokenizer, List<String> test) {
        ChatTemplate template = new ChatTemplate(tokenizer);
        SamplingSettings greedy = SamplingSettings.DEFAULTS.withTemperature(0).withMaxNewTokens(6)
                .withStopToken(template.endId());
        int right = 0;
        try (TextGenerator generator = new TextGenerator(model, config, tokenizer)) {
            for (String word : test) {
                int[] prompt = template.prompt(List.of(Message.user("rev " + word)));
                Generation answer = generator.generate(prompt, greedy, piece -> {});
                if (answer.stoppedAtStopToken() && answer.newText().equals(reversed(word))) {
                    right++;
                }
            }
        }
        return (double) right / test.size();
    }

    private static void run(String... args) {
        String[] all = new String[args.length + MODEL.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        boolean train = args[0].equals("train");
        int n = args.length;
        if (train) {
            System.arraycopy(MODEL, 0, all, n, MODEL.length);
            n += MODEL.length;
        }
        all[n++] = "--quiet";
        var result = InstructionTuningCommandTest.run(null, java.util.Arrays.copyOf(all, n));
        assertEquals(0, result.exitCode(), result.output() + result.error());
    }
}
