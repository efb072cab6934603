package org.scratchgpt.curation.shards;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.scratchgpt.UserError;
import org.scratchgpt.curation.Document;
import org.scratchgpt.tokens.DatasetManifest;

/**
 * The documents that {@code data prepare} kept, as it wrote them: one folder per split ({@code OUT/train/},
 * {@code OUT/val/}, ...), each holding JSON lines files ({@code part-00000.jsonl} or {@code .jsonl.gz}) with one
 * document per line, {@code {"id": ..., "source": ..., "text": ...}}.
 *
 * <p>The order is fixed by names alone (splits by folder name, files by file name, then lines in order), so the
 * token stream made from them is the same on every run, whatever the number of threads that encode it.
 */
final class PreparedSplits {
    private PreparedSplits() {}

    /** The names of the split folders of {@code preparedDir} that hold JSON lines files, in name order. */
    static List<String> names(Path preparedDir) throws IOException {
        if (!Files.isDirectory(preparedDir)) {
            throw new UserError(preparedDir + " is not a folder: give the --out folder of `scratchgpt data prepare`");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(preparedDir)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (Files.isDirectory(child) && !name.equals(DatasetManifest.FOLDER) && !name.startsWith(".")
                        && !jsonLinesFiles(child).isEmpty()) {
                    names.add(name);
                }
            }
        }
        if (names.isEmpty()) {
            throw new UserError(preparedDir + " holds no split folder with documents (e.g. train/part-00000"
                    + ".jsonl.gz): if data prepare kept none, its report.md says which rule removed them; otherwise"
                    + " run `scratchgpt data prepare --out " + preparedDir + "` first");
        }
        return names;
    }

    /** The JSON lines files of one split folder, in name order. */
    static List<Path> jsonLinesFiles(Path splitDir) throws IOException {
        try (Stream<Path> files = Files.list(splitDir)) {
            return files.filter(f -> Files.isRegularFile(f) && isJsonLines(f.getFileName().toString()))
                    .sorted().toList();
        }
    }

    private static boolean isJsonLines(String name) {
        return !name.startsWith(".") && (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz"));
    }

    /** Receives the documents of a split, one at a time. */
    @FunctionalInterface
    interface DocumentSink {
        void accept(Document document) throws IOException;
    }

    /**
     * Gives each document of one split to {@code sink}, in order, reading one line at a time: a split many times
     * larger than memory streams through.
     */
    static void forEachDocument(Path splitDir, DocumentSink sink) throws IOException {
        for (Path file : jsonLinesFiles(splitDir)) {
            try (BufferedReader reader = open(file)) {
                long lineNumber = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        sink.accept(parse(file, lineNumber, line));
                    }
                }
            }
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static Document parse(Path file, long lineNumber, String line) {
        try {
            JsonElement json = JsonParser.parseString(line);
            if (json.isJsonObject() && json.getAsJsonObject().get("text") != null
                    && json.getAsJsonObject().get("text").isJsonPrimitive()) {
                var object = json.getAsJsonObject();
                String id = object.has("id") ? object.get("id").getAsString() : file.getFileName() + ":" + lineNumber;
                String source = object.has("source") ? object.get("source").getAsString() : file.toString();
                return new Document(id, source, object.get("text").getAsString());
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            // reported below, with the place
        }
        throw new UserError(file + " line " + lineNumber + " is not a JSON object with a \"text\" string: run"
                + " `scratchgpt data prepare` again to rewrite the split, or fix that line");
    }
}
