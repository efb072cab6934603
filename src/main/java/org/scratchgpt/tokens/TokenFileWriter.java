package org.scratchgpt.tokens;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.io.Sha256;

/**
 * Writes a {@link TokenFile} a few ids at a time, so that a file of a hundred million tokens never needs them all
 * in memory at once (the data stage writes its shards this way). The ids go to a temporary file beside the target;
 * the header, whose token count is known only at the end, is written first as a placeholder and filled in by
 * {@link #finish()}, which then renames the file into place. Closing a writer that was not finished deletes the
 * temporary file, so a failure or a crash never leaves a half-written file under the real name.
 */
public final class TokenFileWriter implements Closeable {
    /** Ids are written through a buffer of this many bytes. */
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;
    private final Path temp;
    private final FileChannel out;
    private final int vocabSize;
    private final int bytesPerToken;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageDigest idsDigest = Sha256.newDigest();
    private long count;
    private boolean finished;

    private TokenFileWriter(Path file, Path temp, FileChannel out, int vocabSize) {
        this.file = file;
        this.temp = temp;
        this.out = out;
        this.vocabSize = vocabSize;
        this.bytesPerToken = TokenFile.bytesPerToken(vocabSize);
    }

    /** Starts writing {@code file} for ids of a vocabulary of {@code vocabSize} tokens. */
    public static TokenFileWriter create(Path file, int vocabSize) throws IOException {
        if (vocabSize <= 0) {
            throw new UserError("vocab size must be positive, got " + vocabSize);
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE);
            writeFully(out, TokenFile.header(0, vocabSize)); // the count is filled in by finish()
            return new TokenFileWriter(file, temp, out, vocabSize);
        } catch (IOException e) {
            throw AtomicFiles.reportedOn(file, e); // a full disk names no file by itself
        }
    }

    /**
     * Appends {@code ids[from, to)}.
     *
     * @throws UserError if an id is negative or not below the vocab size
     */
    public void append(int[] ids, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocabSize) {
                throw new UserError("token id " + id + " at position " + (count + i - from) + " is outside the"
                        + " vocabulary of " + vocabSize + " tokens (ids 0.." + (vocabSize - 1) + "): the ids were"
                        + " made by a different tokenizer; write them with the vocab size of the tokenizer that"
                        + " encoded them");
            }
            if (buffer.remaining() < bytesPerToken) {
                flush();
            }
            if (bytesPerToken == Short.BYTES) {
                buffer.putShort((short) id); // ids up to 65535: the low 16 bits, read back as unsigned
            } else {
                buffer.putInt(id);
            }
        }
        count += to - from;
    }

    /** Appends one id. */
    public void append(int id) throws IOException {
        append(new int[] {id}, 0, 1);
    }

    /** Ids appended so far. */
    public long count() {
        return count;
    }

    /**
     * The SHA-256 of the id bytes written (the file without its header), for a manifest; call after
     * {@link #finish()}.
     */
    public String idsSha256() {
        if (!finished) {
            throw new IllegalStateException("finish the file first");
        }
        return Sha256.hex(idsDigest);
    }

    /** Writes the header's count, puts the file on disk and renames it into place; returns it opened. */
    public TokenFile finish() throws IOException {
        try {
            flush();
            ByteBuffer header = TokenFile.header(count, vocabSize);
            while (header.hasRemaining()) {
                out.write(header, header.position());
            }
            out.force(true); // on disk before the rename makes it visible under the real name
            out.close();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AtomicFiles.reportedOn(file, e);
        }
        finished = true;
        return TokenFile.open(file);
    }

    /** Deletes the temporary file unless {@link #finish()} renamed it into place. */
    @Override
    public void close() throws IOException {
        out.close();
        if (!finished) {
            Files.deleteIfExists(temp);
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        idsDigest.update(buffer.array(), 0, buffer.limit());
        writeFully(out, buffer);
        buffer.clear();
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
