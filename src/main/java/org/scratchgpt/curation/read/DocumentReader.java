package org.scratchgpt.curation.read;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Verdict;

/**
 * The documents of the input files, one at a time, as the first stage's verdicts: a text file is one document
 * (id: its path), a JSON lines file one document per line (id: {@code path:line}), its text in {@code textField}.
 * A document that cannot be read (invalid UTF-8 under {@link InvalidUtf8#DROP}, a line that is not JSON, a line
 * without the text field) comes out removed, naming why, so the report counts it; one that was repaired comes out
 * changed. Only the current file is open and only the current document is in memory.
 */
public final class DocumentReader implements Iterator<Verdict>, AutoCloseable {
    public static final String STAGE = "read";
    public static final String MISSING_TEXT_FIELD = "missing_text_field";
    private static final int FIELDS_NOTED = 10;

    private final Iterator<Path> files;
    private final String textField;
    private final InvalidUtf8 invalidUtf8;
    private long bytesOfClosedFiles;
    private Path file;
    private CountingInputStream counted; // the file's bytes, null when no file is open
    private InputStream in; // its content, decompressed
    private ByteLines lines; // null for a text file
    private long lineNumber;
    private Verdict next;
    private final Set<String> fieldsWithoutText = new TreeSet<>(); // of records that lack the text field

    public DocumentReader(List<Path> files, String textField, InvalidUtf8 invalidUtf8) {
        this.files = files.iterator();
        this.textField = textField;
        this.invalidUtf8 = invalidUtf8;
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null && (counted != null || files.hasNext())) {
                if (counted == null) {
                    open(files.next());
                }
                next = lines == null ? readTextFile() : readJsonLine();
                if (next == null || lines == null) {
                    closeFile();
                }
            }
            return next != null;
        } catch (IOException e) {
            throw UnreadableInput.of(file, e); // about the input file, not the folder being written
        }
    }

    @Override
    public Verdict next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Verdict verdict = next;
        next = null;
        return verdict;
    }

    /** The input bytes read so far (compressed bytes for a .gz file), for the progress bar. */
    public long bytesRead() {
        return bytesOfClosedFiles + (counted == null ? 0 : counted.count());
    }

    private void open(Path path) throws IOException {
        file = path;
        counted = new CountingInputStream(Files.newInputStream(path));
        in = new BufferedInputStream(counted, 1 << 16);
        if (InputFiles.isGzip(path)) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        lines = InputFiles.isJsonLines(path) ? new ByteLines(in) : null;
        lineNumber = 0;
    }

    private Verdict readTextFile() throws IOException {
        byte[] bytes = in.readAllBytes();
        return decoded(sourceName(), bytes, bytes.length);
    }

    private Verdict readJsonLine() throws IOException {
        while (lines.next()) {
            lineNumber++;
            if (lines.length() == 0 || isBlank(lines.bytes(), lines.length())) {
                continue; // a blank line between records is no document
            }
            Verdict line = decoded(sourceName() + ":" + lineNumber, lines.bytes(), lines.length());
            return line.kept() ? textOf(line) : line;
        }
        return null;
    }

    /** The text field of a JSON line, kept as the reader's verdict on it (repaired or not). */
    private Verdict textOf(Verdict line) {
        Document raw = line.document();
        JsonObject object;
        JsonElement text;
        try {
            JsonElement record = JsonParser.parseString(raw.text());
            if (!record.isJsonObject()) {
                return Verdict.remove(raw, "invalid_json");
            }
            object = record.getAsJsonObject();
            text = object.get(textField);
        } catch (JsonParseException e) {
            return Verdict.remove(raw, "invalid_json");
        }
        if (text == null || !text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
            noteFields(object);
            return Verdict.remove(raw, MISSING_TEXT_FIELD);
        }
        return new Verdict(raw.withText(text.getAsString()), null, line.changes());
    }

    /**
     * The fields of the records that lacked the text field (the first few names, sorted), so that a wrong
     * {@code --text-field} can be answered with the names the records do have.
     */
    public Set<String> fieldsWithoutText() {
        return Collections.unmodifiableSet(fieldsWithoutText);
    }

    private void noteFields(JsonObject record) {
        for (String field : record.keySet()) {
            if (fieldsWithoutText.size() < FIELDS_NOTED) {
                fieldsWithoutText.add(field);
            }
        }
    }

    private Verdict decoded(String id, byte[] bytes, int length) {
        Utf8Decoding.Decoded decoded = Utf8Decoding.decode(bytes, length);
        if (decoded.valid()) {
            return Verdict.keep(new Document(id, sourceName(), decoded.text()));
        }
        Document repaired = new Document(id, sourceName(), decoded.repaired());
        return invalidUtf8 == InvalidUtf8.REPAIR
                ? Verdict.changed(repaired, Map.of("invalid_utf8_repaired", 1))
                : Verdict.remove(repaired, "invalid_utf8");
    }

    private String sourceName() {
        return file.toString().replace('\\', '/');
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private void closeFile() throws IOException {
        if (counted != null) {
            bytesOfClosedFiles += Files.size(file);
            in.close();
            counted = null;
            in = null;
            lines = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeFile();
    }
}
