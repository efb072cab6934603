package org.scratchgpt.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What we need to know to fetch one text corpus and to trust the copy we got: where it lives online,
 * how big it is, its SHA-256, and where it goes inside the datasets folder.
 *
 * @param name         short name used on the command line, e.g. {@code tinyshakespeare}
 * @param url          the public address the corpus is downloaded from
 * @param sizeBytes    the exact size of the file, used for the progress bar
 * @param sha256       the file's SHA-256 as 64 lowercase hex digits; a download must match it
 * @param relativePath where the file goes, relative to the datasets folder
 * @param unpack       for a corpus published inside a zip archive (enwik8): which file to take out of it, and
 *                     where to put it; null for a plain text file. The checksum is the archive's, as published.
 */
public record Corpus(String name, URI url, long sizeBytes, String sha256, Path relativePath, Unpack unpack) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * The text file inside a zip archive: the archive entry's name, where the file goes (relative to the datasets
     * folder) and its exact size, checked after extraction since the checksum covers only the archive.
     */
    public record Unpack(String entry, Path relativePath, long sizeBytes) {}

    /** A corpus that is a plain text file. */
    public Corpus(String name, URI url, long sizeBytes, String sha256, Path relativePath) {
        this(name, url, sizeBytes, sha256, relativePath, null);
    }

    public Corpus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(relativePath, "relativePath");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
        }
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
        }
        // An absolute or "../" path would let a corpus land outside the datasets folder.
        requireInside(relativePath);
        if (unpack != null) {
            requireInside(unpack.relativePath());
        }
    }

    private static void requireInside(Path relativePath) {
        if (relativePath.isAbsolute() || relativePath.normalize().startsWith("..")) {
            throw new IllegalArgumentException("relativePath must stay inside the datasets folder: " + relativePath);
        }
    }

    /** Where the text ends up inside {@code datasetsDir}: the file taken out of the archive, or the download. */
    public Path textIn(Path datasetsDir) {
        return unpack == null ? locationIn(datasetsDir)
                : datasetsDir.resolve(unpack.relativePath()).toAbsolutePath().normalize();
    }

    /** The absolute path of this corpus's downloaded file (the archive, for an archived one) in {@code datasetsDir}. */
    public Path locationIn(Path datasetsDir) {
        return datasetsDir.resolve(relativePath).toAbsolutePath().normalize();
    }
}
