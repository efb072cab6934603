package org.scratchgpt.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.config.JsonSyntax;
import org.scratchgpt.io.Sha256;

/**
 * What each file of a checkpoint must be: its size and SHA-256, written as {@code manifest.json} after every
 * other file, so a checkpoint proves its own integrity. A file that was truncated, overwritten with zeros, or
 * swapped for another of the same size (a tokenizer.json with its ids permuted) no longer matches, and reading
 * stops with the file's name instead of loading something else as if it were the model.
 *
 * <pre>
 *   {"format": "scratchgpt-manifest-1",
 *    "files": {"config.json": {"bytes": 1234, "sha256": "9f2c..."}, ...}}
 * </pre>
 */
public final class Manifest {
    public static final String FILE = "manifest.json";
    private static final String FORMAT = "scratchgpt-manifest-1";

    /** One file's expected size and checksum. */
    public record Entry(long bytes, String sha256) {}

    private final Path dir;
    private final Map<String, Entry> files;

    private Manifest(Path dir, Map<String, Entry> files) {
        this.dir = dir;
        this.files = files;
    }

    /** Measures {@code names} in {@code dir} and writes the manifest there: call it after the last of them is written. */
    public static void write(Path dir, Iterable<String> names) throws IOException {
        JsonObject entries = new JsonObject();
        for (String name : names) {
            Path file = dir.resolve(name);
            JsonObject entry = new JsonObject();
            entry.addProperty("bytes", Files.size(file));
            entry.addProperty("sha256", Sha256.of(file));
            entries.add(name, entry);
        }
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.add("files", entries);
        Files.writeString(dir.resolve(FILE), new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
                StandardCharsets.UTF_8);
    }

    /**
     * The manifest of {@code dir}, or empty for a checkpoint written before checkpoints carried one (nothing to
     * check it against). A manifest that is there but damaged is an error: it is the one file that vouches for
     * the others.
     */
    public static Optional<Manifest> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!json.has("format") || !FORMAT.equals(json.get("format").getAsString())) {
                throw damaged(file, "its format is not " + FORMAT);
            }
            Map<String, Entry> files = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("files").entrySet()) {
                JsonObject entry = e.getValue().getAsJsonObject();
                files.put(e.getKey(), new Entry(entry.get("bytes").getAsLong(), entry.get("sha256").getAsString()));
            }
            return Optional.of(new Manifest(dir, files));
        } catch (JsonParseException | IllegalStateException | ClassCastException | NullPointerException
                | UnsupportedOperationException | NumberFormatException | java.nio.charset.CharacterCodingException e) {
            throw damaged(file, "it is not the JSON that ScratchGPT writes (" + (e instanceof JsonParseException
                    ? JsonSyntax.describe(e) : "a field is missing or of the wrong kind") + ")");
        }
    }

    /**
     * Fails, naming the file, unless {@code name} is listed and is exactly the file that was written: size
     * first (cheap, and the usual damage of a full disk or a killed copy), then the checksum. Returns that
     * checksum, so a caller that needs the file's SHA-256 does not read the file a second time.
     */
    public String verify(String name) throws IOException {
        Entry expected = files.get(name);
        Path file = dir.resolve(name);
        if (expected == null) {
            throw new UserError(file + " is not listed in " + dir.resolve(FILE) + ": the checkpoint is not the one"
                    + " ScratchGPT wrote; use another checkpoint (best/ or latest/)");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("checkpoint file " + file + " is missing (" + dir.resolve(FILE) + " lists it): the"
                    + " checkpoint is incomplete; use another checkpoint (best/ or latest/)");
        }
        long size = Files.size(file);
        if (size != expected.bytes()) {
            throw new UserError("checkpoint file " + file + " has " + size + " bytes but was written with "
                    + expected.bytes() + ": it is truncated or was replaced; use another checkpoint (best/ or latest/)");
        }
        if (!Sha256.of(file).equals(expected.sha256())) {
            throw new UserError("checkpoint file " + file + " does not match the SHA-256 it was written with: it was"
                    + " changed or damaged after it was written; use another checkpoint (best/ or latest/)");
        }
        return expected.sha256();
    }

    private static UserError damaged(Path file, String why) {
        return new UserError(file + " is damaged: " + why + "; the checkpoint's files cannot be checked, so use"
                + " another checkpoint (best/ or latest/)");
    }
}
