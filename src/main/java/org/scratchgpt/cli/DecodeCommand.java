package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.scratchgpt.UserError;
import org.scratchgpt.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scratchgpt tokenizer decode}: token ids back to text; the reverse of {@code encode}. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Turn token ids back into text.",
                "The ids come as arguments, or from standard input separated by whitespace. The text is printed"
                        + " exactly, with no newline added, so decode undoes encode."})
final class DecodeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TokenizerFileOption tokenizerFile;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Token ids, e.g. 464 3290.")
    List<String> ids = List.of();

    @Override
    public Integer call() throws IOException {
        Tokenizer tokenizer = tokenizerFile.load();
        List<String> words = ids.isEmpty() ? idsFromStandardInput() : ids;
        PrintWriter out = spec.commandLine().getOut();
        out.print(tokenizer.decode(parse(words)));
        out.flush();
        return 0;
    }

    private static List<String> idsFromStandardInput() throws IOException {
        String all = StandardInput.readUtf8().strip();
        return all.isEmpty() ? List.of() : List.of(all.split("\\s+"));
    }

    private static int[] parse(List<String> words) {
        int[] parsed = new int[words.size()];
        for (int i = 0; i < parsed.length; i++) {
            try {
                parsed[i] = Integer.parseInt(words.get(i));
            } catch (NumberFormatException e) {
                throw new UserError("'" + words.get(i) + "' is not a token id: give whole numbers such as 464,"
                        + " separated by spaces, as `scratchgpt tokenizer encode` prints them");
            }
        }
        return parsed;
    }
}
