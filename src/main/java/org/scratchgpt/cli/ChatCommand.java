package org.scratchgpt.cli;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.chat.ChatSession;
import org.scratchgpt.chat.ChatTemplate;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.generation.Generation;
import org.scratchgpt.generation.SamplingSettings;
import org.scratchgpt.generation.TextGenerator;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.quantize.GenerationWeights;
import org.scratchgpt.quantize.WeightFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt chat}: a conversation in the terminal with an instruction-tuned checkpoint. Each line read is
 * a user message; the answer streams as it is generated and stops at {@code <|end|>}. Lines come from standard
 * input, so a file of questions can be piped in; {@code /exit} or the end of the input ends the conversation.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Talk with an instruction-tuned checkpoint: one line per message, /exit or end of input ends.")
public final class ChatCommand implements java.util.concurrent.Callable<Integer> {
    static final String EXIT = "/exit";

    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true,
            description = "A checkpoint folder of a model tuned with `finetune --chat`, or its run folder for its"
                    + " best/.")
    Path checkpoint;

    @Option(names = "--system", paramLabel = "TEXT", defaultValue = "",
            description = "A system message that opens the conversation and is always kept (default: none).")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "200",
            description = "The longest answer, in tokens, at most half the model's context; that much room is kept free"
                    + " in the context, so older exchanges are dropped first when the history grows"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin SamplingOptions sampling = new SamplingOptions();

    @Mixin DeviceOption device;

    @Mixin ComputeOptions computeOptions = new ComputeOptions();

    @Mixin QuantizeOption quantizeOption = new QuantizeOption();

    /** Where the user's lines come from; standard input unless a test sets another. */
    InputStream input = System.in;

    @Override
    public Integer call() throws IOException {
        SamplingSettings settings = sampling.settings(maxTokens); // checked here, before the model loads
        WeightFormat weights = quantizeOption.format(computeOptions.compute());
        checkpoint = CheckpointArgument.toUse(spec, checkpoint); // a run folder: its best/
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        ChatTemplate template = new ChatTemplate(contents.tokenizer());
        int contextLength = contents.model().contextLength();
        int answerTokens = Math.min(maxTokens, ChatSession.longestAnswer(contextLength));
        ChatSession session = new ChatSession(template, system, contextLength, answerTokens); // checks --system
        settings = settings.withStopToken(template.endId()).withMaxNewTokens(answerTokens);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (answerTokens < maxTokens) {
            err.println("answers are capped at " + answerTokens + " tokens: the model's context is " + contextLength
                    + ", and the conversation so far needs the other half");
        }
        try (Model model = Model.newInstance("scratchgpt", device.resolve())) {
            Gpt gpt = new Gpt(contents.model(), computeOptions.compute());
            model.setBlock(gpt);
            Checkpoint.loadInto(model, checkpoint, new Shape(1, contextLength));
            GenerationWeights.convert(gpt, weights); // fewer bytes read per token
            try (TextGenerator generator = new TextGenerator(model, contents.model(), contents.tokenizer())) {
                converse(generator, template, session, settings, out, err);
            }
        }
        return 0;
    }

    private void converse(TextGenerator generator, ChatTemplate template, ChatSession session, SamplingSettings settings,
            PrintWriter out, PrintWriter err) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        out.println("Chatting with " + checkpoint + ". One line per message; " + EXIT + " or end of input ends.");
        int answers = 0;
        for (String line = prompt(lines, out); line != null && !line.strip().equals(EXIT); line = prompt(lines, out)) {
            if (line.isBlank()) {
                continue;
            }
            Optional<String> unreadable = session.unreadable(line);
            if (unreadable.isPresent()) {
                out.println("(" + unreadable.get() + ")");
                continue;
            }
            int dropped = session.droppedExchanges();
            Optional<int[]> prompt = session.ask(line);
            if (prompt.isEmpty()) {
                out.println("(that message is too long: with the system message it must fit in "
                        + session.promptLimit() + " tokens; write a shorter one)");
                continue;
            }
            if (dropped == 0 && session.droppedExchanges() > 0) { // said once: it goes on with every later message
                err.println("(the oldest exchanges are dropped as the conversation outgrows the model's context;"
                        + " the system message stays)");
            }
            Generation answer = generator.generate(prompt.get(), settings.withSeed(sampling.seed + answers++), piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            session.answered(template.answerText(answer.newIds()));
        }
        out.flush();
    }

    /** Shows "> " and reads the next line; null at the end of the input. */
    private static String prompt(BufferedReader lines, PrintWriter out) throws IOException {
        out.print("> ");
        out.flush();
        return lines.readLine();
    }
}
