package org.scratchgpt.curation.shards;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * Encodes documents on several threads and hands back their ids in the order the documents came in, so that the
 * token stream is the same whatever the number of threads.
 *
 * <p>Documents are grouped into batches of about {@value #BATCH_CHARS} characters; each batch is one task. The
 * finished batches are taken in submission order from a queue of at most {@code 2 * threads} batches in flight:
 * enough to keep every thread busy while the oldest one is written, and a bound on memory (a few megabytes),
 * however large the corpus.
 */
final class OrderedEncoder implements AutoCloseable {
    /** Receives the ids of each document, in document order. */
    @FunctionalInterface
    interface IdsSink {
        void accept(int[] ids) throws IOException;
    }

    static final int BATCH_CHARS = 1 << 20;

    private final Tokenizer tokenizer;
    private final IdsSink sink;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<List<int[]>>> inFlight = new ArrayDeque<>();
    private List<String> batch = new ArrayList<>();
    private long batchChars;

    OrderedEncoder(Tokenizer tokenizer, int threads, IdsSink sink) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.tokenizer = tokenizer;
        this.sink = sink;
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tokenize");
            thread.setDaemon(true); // never keeps the JVM alive after a failure
            return thread;
        });
        this.maxInFlight = 2 * threads;
    }

    /** Queues one document's text; its ids reach the sink after those of every document added before it. */
    void add(String text) throws IOException {
        batch.add(text);
        batchChars += text.length();
        if (batchChars >= BATCH_CHARS) {
            submitBatch();
        }
    }

    /** Encodes what is left and gives every remaining id to the sink. */
    void finish() throws IOException {
        submitBatch();
        while (!inFlight.isEmpty()) {
            drainOldest();
        }
    }

    private void submitBatch() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<String> texts = batch;
        inFlight.add(pool.submit(() -> texts.stream().map(tokenizer::encode).toList()));
        batch = new ArrayList<>();
        batchChars = 0;
        while (inFlight.size() >= maxInFlight) {
            drainOldest();
        }
    }

    private void drainOldest() throws IOException {
        for (int[] ids : await(inFlight.removeFirst())) {
            sink.accept(ids);
        }
    }

    private static List<int[]> await(Future<List<int[]>> batch) throws IOException {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while tokenizing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime; // a UserError from the tokenizer keeps its message
            }
            throw new IOException("tokenizing failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
