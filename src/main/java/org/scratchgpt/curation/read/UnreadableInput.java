package org.scratchgpt.curation.read;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Failures;

/**
 * An input file that failed while it was read, said about the file: what is wrong with it (not gzip, truncated,
 * damaged, not readable) and what to do. Java's own words ("Unexpected end of ZLIB input stream") name neither,
 * and passed on as a file-system failure they ended up blaming the --out folder.
 */
final class UnreadableInput {
    private static final String LEAVE_OUT = "leave it out of --input";

    private UnreadableInput() {}

    static UserError of(Path file, IOException e) {
        return new UserError("input " + file + " " + what(file, e), e);
    }

    private static String what(Path file, IOException e) {
        boolean gzip = InputFiles.isGzip(file);
        if (gzip && isEmpty(file)) {
            return "is empty (0 bytes), not gzip: " + LEAVE_OUT + ", or compress the text again";
        }
        if (gzip && e instanceof ZipException && "Not in GZIP format".equals(e.getMessage())) {
            return "is not gzip, though its name ends in .gz (it lacks gzip's first bytes): decompress it, or rename it"
                    + " without .gz if it is plain text, or " + LEAVE_OUT;
        }
        if (gzip && e instanceof EOFException) {
            return "is truncated: its gzip data stops before its end (" + Failures.why(e) + "): copy or download it again,"
                    + " or " + LEAVE_OUT;
        }
        if (gzip && e instanceof ZipException) {
            return "is damaged: its gzip data does not decompress (" + Failures.why(e) + "): copy or download it again, or "
                    + LEAVE_OUT;
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read: permission denied: make it readable, or " + LEAVE_OUT;
        }
        return "cannot be read (" + Failures.why(e) + "): check the file, or " + LEAVE_OUT;
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
