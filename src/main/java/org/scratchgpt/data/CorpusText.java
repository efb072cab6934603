package org.scratchgpt.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchgpt.UserError;

/**
 * Reads a corpus file for the stages that follow (tokenizers, training), refusing files that would
 * silently spoil them: missing, empty, or not valid UTF-8.
 */
public final class CorpusText {
    private CorpusText() {}

    /** The raw bytes of {@code file}, for byte-level tokenizers. */
    public static byte[] readBytes(Path file) throws IOException {
        requireFile(file);
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0) {
            throw new UserError("corpus file " + file.toAbsolutePath() + " is empty: if you fetched it, fetch it again"
                    + " with `./scratchgpt data fetch tinyshakespeare --force`; otherwise pass a file that holds text");
        }
        return bytes;
    }

    /**
     * The text of {@code file}, decoded as UTF-8.
     *
     * <p>Decoding is strict: Java's usual lenient decoding turns bad bytes into U+FFFD, which would then
     * be learned as if it were part of the language. Here the first bad byte is an error instead.
     */
    public static String readUtf8(Path file) throws IOException {
        return decodeUtf8(readBytes(file), "corpus file " + file.toAbsolutePath());
    }

    /**
     * Decodes {@code bytes} strictly as UTF-8, for text that comes from elsewhere than a file (standard
     * input). {@code source} names it in the error, e.g. "standard input".
     */
    public static String decodeUtf8(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never gives more chars than it has bytes, so one buffer of that size always suffices.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // On an error the decoder stops with the input position at the first byte it could not decode.
            throw new UserError(String.format(
                    "%s is not valid UTF-8: the first bad byte is at offset %d (0x%02X). Convert it to"
                            + " UTF-8 first, e.g. `iconv -f ISO-8859-1 -t UTF-8 in.txt > out.txt`",
                    source, in.position(), bytes[in.position()]));
        }
        return out.flip().toString();
    }

    private static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError("corpus file " + file.toAbsolutePath() + " is a folder: pass the text file inside it,"
                    + " e.g. datasets/tinyshakespeare/input.txt");
        }
        if (!Files.exists(file)) {
            throw new UserError("corpus file " + file.toAbsolutePath() + " not found: fetch it with"
                    + " `./scratchgpt data fetch tinyshakespeare`, or pass the path of a text file you have");
        }
    }
}
