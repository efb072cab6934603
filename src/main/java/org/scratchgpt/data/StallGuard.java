package org.scratchgpt.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a download whose server stopped sending. Java's HttpClient times out waiting for the response to
 * start, but not a body that stalls halfway, which would hang {@code data fetch} forever. This stream
 * remembers when bytes last arrived; a watchdog closes it after {@code limit} of silence, and the blocked
 * read then fails with an error that names the silence.
 */
final class StallGuard extends FilterInputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "download-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Duration limit;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private volatile Thread reader;

    StallGuard(InputStream in, Duration limit) {
        super(in);
        this.limit = limit;
        long period = Math.max(50, limit.toMillis() / 4);
        this.check = WATCHDOG.scheduleAtFixedRate(this::closeIfStalled, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeIfStalled() {
        if (System.nanoTime() - lastProgress > limit.toNanos()) {
            stalled = true;
            check.cancel(false);
            // A read blocked inside HttpClient's body stream waits on a queue that closing does not wake; an
            // interrupt does.
            Thread blocked = reader;
            if (blocked != null) {
                blocked.interrupt();
            }
            try {
                in.close();
            } catch (IOException e) {
                // closing is all we can do; the reader sees the failure
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        reader = Thread.currentThread();
        try {
            int n = in.read(buffer, offset, length);
            lastProgress = System.nanoTime();
            return n;
        } catch (IOException e) {
            throw explain(e);
        } finally {
            reader = null;
        }
    }

    /**
     * The error to report for a failure while this stream was in use: after a stall, one that names the
     * silence (and the thread's interrupt, which was ours, is cleared); otherwise {@code e} itself.
     */
    IOException explain(IOException e) {
        if (!stalled) {
            return e;
        }
        Thread.interrupted();
        return new IOException("the server sent nothing for " + limit.toMillis() / 1000.0 + " s", e);
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
