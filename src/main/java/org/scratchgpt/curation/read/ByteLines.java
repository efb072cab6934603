package org.scratchgpt.curation.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a stream as raw bytes, so that each line can be checked for invalid UTF-8 on its own (a reader that
 * decodes first would already have replaced the bad bytes). Only one line is held at a time.
 */
final class ByteLines {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1024];
    private int lineLength;

    ByteLines(InputStream in) {
        this.in = in;
    }

    /** Reads the next line (without its \n or \r\n) into {@link #bytes()}; false at the end of the stream. */
    boolean next() throws IOException {
        lineLength = 0;
        boolean readAny = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return readAny;
                }
            }
            readAny = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(start, position);
            if (position < limit) {
                position++; // the \n
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
        }
    }

    private void append(int from, int to) {
        int count = to - from;
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(buffer, from, line, lineLength, count);
        lineLength += count;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }
}
