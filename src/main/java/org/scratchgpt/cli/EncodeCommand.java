package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchgpt tokenizer encode}: text to token ids, optionally one token per line to see the split. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Turn text into token ids, printed on one line separated by spaces.",
                "The text comes from --text, --input or standard input (read whole, as UTF-8)."})
final class EncodeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TokenizerFileOption tokenizerFile;

    @Option(names = "--text", paramLabel = "TEXT", description = "The text to encode.")
    String text;

    @Option(names = "--input", paramLabel = "FILE", description = "A UTF-8 file whose text to encode.")
    Path input;

    @Option(names = "--allow-special",
            description = "Encode special-token strings such as <|endoftext|> as their ids; without this they"
                    + " are encoded as ordinary text.")
    boolean allowSpecial;

    @Option(names = "--show-tokens",
            description = "Print one token per line: id, the token as stored in the vocabulary, and its text"
                    + " quoted, with escapes such as \\n and \\xNN for bytes that are part of a character.")
    boolean showTokens;

    @Override
    public Integer call() throws IOException {
        Tokenizer tokenizer = tokenizerFile.load();
        String source = readText();
        int[] ids = allowSpecial ? tokenizer.encodeWithSpecialTokens(source) : tokenizer.encode(source);
        if (showTokens) {
            printTokens(tokenizer, ids);
        } else {
            out().println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        }
        return 0;
    }

    private String readText() throws IOException {
        if (text != null && input != null) {
            throw new UserError("--text and --input both give the text to encode: give only one of them");
        }
        if (text != null) {
            return text;
        }
        return input != null ? CorpusText.readUtf8(input) : StandardInput.readUtf8();
    }

    private void printTokens(Tokenizer tokenizer, int[] ids) {
        for (int id : ids) {
            out().println(id + "\t" + ReadableText.escape(tokenizer.token(id)) + "\t"
                    + ReadableText.quoted(tokenizer.decodeBytes(new int[] {id})));
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
