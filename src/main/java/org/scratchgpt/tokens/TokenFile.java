package org.scratchgpt.tokens;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.scratchgpt.UserError;

/**
 * A corpus already turned into token ids, on disk: the equivalent of nanoGPT's {@code train.bin} / {@code val.bin}.
 * Encoding a corpus takes a while, so it is done once and training reads the ids from here.
 *
 * <p>The file is a 32-byte header followed by the ids, all little-endian:
 * <pre>
 * offset  size  field
 *      0     8  magic, the ASCII bytes "SGPT-TOK"
 *      8     4  format version (1)
 *     12     4  bytes per token: 2 (ids stored as unsigned 16-bit) when vocab size &lt;= 65536, else 4 (int32)
 *     16     8  token count N
 *     24     4  vocab size V (one more than the largest id allowed), so that a file made by another
 *               tokenizer is noticed instead of training on ids that mean something else
 *     28     4  reserved, 0 (keeps the ids 4-byte aligned)
 *     32   N*b  the ids
 * </pre>
 * nanoGPT stores bare uint16 with no header; the header costs 32 bytes and catches wrong, foreign and truncated
 * files. uint16 halves the size for every vocabulary up to 65,536 tokens, GPT-2's 50,257 included.
 *
 * <p>{@link #open} memory-maps the ids rather than reading them, so a corpus larger than the Java heap works: the
 * operating system pages the parts in use into memory and can drop them again. A single {@code MappedByteBuffer}
 * is indexed by {@code int}, which limits it to 2 GB, so the ids are mapped as several buffers ("chunks") of a
 * fixed whole number of tokens each; token {@code i} lives in chunk {@code i / tokensPerChunk}. Because every
 * chunk holds whole tokens, no token ever straddles two buffers.
 */
public final class TokenFile implements TokenSequence {
    static final int HEADER_BYTES = 32;
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "SGPT-TOK".getBytes(StandardCharsets.US_ASCII);
    /** Largest vocabulary whose ids (0..65535) fit in an unsigned 16-bit number. */
    private static final int UINT16_VOCAB_LIMIT = 1 << 16;
    /** 2^28 tokens: 512 MiB of uint16 or 1 GiB of int32 per buffer, safely under the 2 GB limit of one buffer. */
    private static final int DEFAULT_TOKENS_PER_CHUNK = 1 << 28;

    private final Path path;
    private final int vocabSize;
    private final long size;
    private final int bytesPerToken;
    private final int tokensPerChunk;
    private final ByteBuffer[] chunks;

    private TokenFile(Path path, int vocabSize, long size, int bytesPerToken, int tokensPerChunk, ByteBuffer[] chunks) {
        this.path = path;
        this.vocabSize = vocabSize;
        this.size = size;
        this.bytesPerToken = bytesPerToken;
        this.tokensPerChunk = tokensPerChunk;
        this.chunks = chunks;
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes {@code ids} to {@code file} atomically (to a temporary file in the same folder, then renamed over
     * {@code file}), so a crash leaves the old file or the complete new one, never half of one. Returns it opened.
     *
     * @throws UserError if an id is negative or not below {@code vocabSize}
     */
    public static TokenFile write(Path file, int[] ids, int vocabSize) throws IOException {
        return write(file, ids, 0, ids.length, vocabSize);
    }

    /** As {@link #write(Path, int[], int)}, for {@code ids[from, to)}: a split writes its parts without copies. */
    static TokenFile write(Path file, int[] ids, int from, int to, int vocabSize) throws IOException {
        Objects.checkFromToIndex(from, to, ids.length);
        try (TokenFileWriter writer = TokenFileWriter.create(file, vocabSize)) {
            writer.append(ids, from, to);
            return writer.finish();
        }
    }

    static int bytesPerToken(int vocabSize) {
        return vocabSize <= UINT16_VOCAB_LIMIT ? Short.BYTES : Integer.BYTES;
    }

    static ByteBuffer header(long tokenCount, int vocabSize) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(FORMAT_VERSION).putInt(bytesPerToken(vocabSize))
                .putLong(tokenCount).putInt(vocabSize).putInt(0);
        return header.flip();
    }

    // ---------------------------------------------------------------- open

    /**
     * Opens a token file written by {@link #write}, memory-mapped and read-only.
     *
     * @throws UserError if the file is missing, is not a token file, or is truncated
     */
    public static TokenFile open(Path file) throws IOException {
        return open(file, DEFAULT_TOKENS_PER_CHUNK);
    }

    /** As {@link #open(Path)}, with buffers of {@code tokensPerChunk} tokens: tests use tiny ones to get many. */
    static TokenFile open(Path file, int tokensPerChunk) throws IOException {
        if (tokensPerChunk <= 0 || (long) tokensPerChunk * Integer.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tokens per chunk must be in 1..2^29-1, got " + tokensPerChunk);
        }
        requireRegularFile(file);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = readHeader(in, file);
            int version = header.getInt(8);
            int bytesPerToken = header.getInt(12);
            long count = header.getLong(16);
            int vocabSize = header.getInt(24);
            requireSupported(file, version, bytesPerToken, count, vocabSize);
            requireLength(file, in.size(), count, bytesPerToken);
            // A mapping stays valid after its channel is closed, so nothing here needs closing later.
            ByteBuffer[] chunks = map(in, count, bytesPerToken, tokensPerChunk);
            return new TokenFile(file, vocabSize, count, bytesPerToken, tokensPerChunk, chunks);
        }
    }

    private static void requireRegularFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError("token file " + file.toAbsolutePath() + " is a folder: pass the train.bin or val.bin"
                    + " inside it");
        }
        if (!Files.exists(file)) {
            throw new UserError("token file " + file.toAbsolutePath() + " not found: encode the corpus first (training"
                    + " does it when the file is missing), or check the path");
        }
    }

    private static ByteBuffer readHeader(FileChannel in, Path file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining()) { // a channel may return fewer bytes than asked
            if (in.read(header) < 0) {
                break;
            }
        }
        byte[] magic = Arrays.copyOf(header.array(), Math.min(header.position(), MAGIC.length));
        if (!Arrays.equals(magic, MAGIC)) {
            throw new UserError(file.toAbsolutePath() + " is not a ScratchGPT token file: it does not start with \""
                    + new String(MAGIC, StandardCharsets.US_ASCII) + "\". Delete it and encode the corpus again");
        }
        if (header.hasRemaining()) {
            throw new UserError("token file " + file.toAbsolutePath() + " is truncated: it ends inside its "
                    + HEADER_BYTES + "-byte header (" + header.position() + " bytes). Delete it and encode the"
                    + " corpus again");
        }
        return header;
    }

    private static void requireSupported(Path file, int version, int bytesPerToken, long count, int vocabSize) {
        if (version != FORMAT_VERSION) {
            throw new UserError("token file " + file.toAbsolutePath() + " has format version " + version + ", but this"
                    + " ScratchGPT reads version " + FORMAT_VERSION + ": delete it and encode the corpus again");
        }
        if (vocabSize <= 0 || count < 0 || bytesPerToken != bytesPerToken(vocabSize)) {
            throw new UserError("token file " + file.toAbsolutePath() + " has a damaged header (vocab size "
                    + vocabSize + ", " + count + " tokens of " + bytesPerToken + " bytes): delete it and encode the"
                    + " corpus again");
        }
    }

    private static void requireLength(Path file, long actualBytes, long count, int bytesPerToken) {
        long expectedBytes = HEADER_BYTES + count * bytesPerToken;
        if (actualBytes != expectedBytes) {
            String what = actualBytes < expectedBytes ? "is truncated" : "is longer than its header says";
            throw new UserError(String.format("token file %s %s: its header promises %d tokens of %d bytes, so"
                            + " %d bytes with the %d-byte header, but the file has %d bytes. Delete it and encode"
                            + " the corpus again",
                    file.toAbsolutePath(), what, count, bytesPerToken, expectedBytes, HEADER_BYTES, actualBytes));
        }
    }

    private static ByteBuffer[] map(FileChannel in, long count, int bytesPerToken, int tokensPerChunk)
            throws IOException {
        int chunkCount = (int) ((count + tokensPerChunk - 1) / tokensPerChunk);
        ByteBuffer[] chunks = new ByteBuffer[chunkCount];
        for (int c = 0; c < chunkCount; c++) {
            long firstToken = (long) c * tokensPerChunk;
            long tokens = Math.min(tokensPerChunk, count - firstToken);
            long offset = HEADER_BYTES + firstToken * bytesPerToken;
            chunks[c] = in.map(FileChannel.MapMode.READ_ONLY, offset, tokens * bytesPerToken)
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        return chunks;
    }

    // ---------------------------------------------------------------- read

    /** The id at {@code index}, 0 &lt;= index &lt; {@link #size()}. Safe to call from several threads. */
    @Override
    public int get(long index) {
        Objects.checkIndex(index, size);
        ByteBuffer chunk = chunks[(int) (index / tokensPerChunk)];
        int byteOffset = (int) (index % tokensPerChunk) * bytesPerToken;
        // Absolute gets do not move the buffer's position, so concurrent readers do not disturb each other.
        return bytesPerToken == Short.BYTES
                ? Short.toUnsignedInt(chunk.getShort(byteOffset))
                : chunk.getInt(byteOffset);
    }

    /** The number of tokens. */
    @Override
    public long size() {
        return size;
    }

    /** The vocab size of the tokenizer that made the ids: every id is below it. */
    @Override
    public int vocabSize() {
        return vocabSize;
    }

    public Path path() {
        return path;
    }

    /** How many buffers the ids are mapped as. */
    int chunkCount() {
        return chunks.length;
    }

    int bytesPerToken() {
        return bytesPerToken;
    }

    @Override
    public String describe() {
        return "token file " + path;
    }

    @Override
    public String toString() {
        return path + " (" + size + " tokens, vocab " + vocabSize + ")";
    }
}
