package org.scratchgpt.cli;

import java.io.IOException;
import org.scratchgpt.data.CorpusText;

/** Standard input read whole, for commands that take their text or ids from a pipe. */
final class StandardInput {
    private StandardInput() {}

    /** All of standard input as text; bytes that are not UTF-8 are an error, as in a corpus file. */
    static String readUtf8() throws IOException {
        return CorpusText.decodeUtf8(System.in.readAllBytes(), "standard input");
    }
}
