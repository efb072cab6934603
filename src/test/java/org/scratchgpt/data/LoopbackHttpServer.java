package org.scratchgpt.data;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server for download tests, bound to the loopback address only, on a free port.
 * Paths it was not told about answer 404.
 */
final class LoopbackHttpServer implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    LoopbackHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.start();
    }

    /** Serves {@code body} at {@code path}, counting each request. */
    LoopbackHttpServer serve(String path, byte[] body) {
        server.createContext(path, exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        return this;
    }

    /** Promises {@code body} at {@code path} but hangs up halfway through it, like a dropped connection. */
    LoopbackHttpServer serveHalfOf(String path, byte[] body) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, body.length / 2);
            exchange.getResponseBody().flush();
            exchange.close();
        });
        return this;
    }

    /**
     * Promises {@code body} at {@code path}, sends half of it, then goes quiet without closing the connection,
     * like a server that stalled; it lets go after {@code quietFor}, so the test server can shut down.
     */
    LoopbackHttpServer stallHalfwayThrough(String path, byte[] body, java.time.Duration quietFor) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, body.length / 2);
            exchange.getResponseBody().flush();
            try {
                Thread.sleep(quietFor.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        return this;
    }

    /** Answers {@code path} with a 302 redirect to {@code target}. */
    LoopbackHttpServer redirect(String path, String target) {
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Location", url(target).toString());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        return this;
    }

    URI url(String path) {
        return URI.create("http://" + LOOPBACK + ":" + server.getAddress().getPort() + path);
    }

    /** How many requests the {@link #serve} paths have answered. */
    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
