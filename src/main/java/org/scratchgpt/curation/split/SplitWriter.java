package org.scratchgpt.curation.split;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Utf8Length;
import org.scratchgpt.io.CrashPoint;

/**
 * Writes the kept documents of each split as JSON lines, {@code {"id": ..., "source": ..., "text": ...}}, into
 * {@code <dir>/<split>/part-00000.jsonl.gz}, starting a new part after {@code partBytes} bytes of text, so that a
 * user can read exactly what the model will see and a tokenizer can work on parts in parallel. Gzip's header holds
 * no time here (Java writes none), so the same documents give the same bytes on every run.
 */
public final class SplitWriter implements AutoCloseable {
    /** For the crash tests: reached after each part is closed. */
    public static final String CRASH_TARGET = "prepare";

    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create(); // keep "<EMAIL>" readable

    private final Path dir;
    private final boolean gzip;
    private final long partBytes;
    private final Map<String, Part> open = new LinkedHashMap<>();

    public SplitWriter(Path dir, boolean gzip, long partBytes) {
        this.dir = dir;
        this.gzip = gzip;
        this.partBytes = partBytes;
    }

    public void write(String split, Document document) throws IOException {
        Part part = open.get(split);
        if (part == null || part.bytes >= partBytes) {
            part = openNext(split, part);
        }
        Map<String, String> record = new LinkedHashMap<>();
        record.put("id", document.id());
        record.put("source", document.source());
        record.put("text", document.text());
        String line = JSON.toJson(record);
        part.writer.write(line);
        part.writer.write('\n');
        part.bytes += Utf8Length.of(line) + 1;
    }

    private Part openNext(String split, Part previous) throws IOException {
        int index = 0;
        if (previous != null) {
            previous.close();
            index = previous.index + 1;
        }
        Path folder = Files.createDirectories(dir.resolve(split));
        String name = String.format("part-%05d.jsonl%s", index, gzip ? ".gz" : "");
        OutputStream out = Files.newOutputStream(folder.resolve(name));
        if (gzip) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        Part part = new Part(index, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        open.put(split, part);
        return part;
    }

    /** Makes each split's folder, so that a split that got no document is an empty folder, not a missing one. */
    public void makeFolders(Iterable<String> splits) throws IOException {
        for (String split : splits) {
            Files.createDirectories(dir.resolve(split));
        }
    }

    @Override
    public void close() throws IOException {
        for (Part part : open.values()) {
            part.close();
        }
        open.clear();
    }

    private static final class Part {
        final int index;
        final Writer writer;
        long bytes;

        Part(int index, Writer writer) {
            this.index = index;
            this.writer = writer;
        }

        void close() throws IOException {
            writer.close();
            CrashPoint.reach(CRASH_TARGET, "part-written");
        }
    }
}
