package org.scratchgpt.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.scratchgpt.UserError;
import org.scratchgpt.io.NewFolders;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a {@link Corpus} into the datasets folder, from its public URL, a mirror URL or a local file,
 * and guarantees that what ends up there is exactly the expected file.
 *
 * <p>The bytes stream into a temporary file next to the target while their SHA-256 is computed; only
 * when the checksum matches is the temporary file renamed into place, atomically. On any failure the
 * temporary file is deleted, so the datasets folder never holds a partial or wrong corpus.
 */
public final class CorpusDownloader {
    private static final Logger log = LoggerFactory.getLogger(CorpusDownloader.class);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** How long to wait for the server to start answering; the body itself may take longer. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final Duration stallLimit;

    /** What {@link #fetch} did: where the corpus file is, and whether it was already there. */
    public record Fetched(Path file, boolean wasAlreadyPresent) {}

    private final Path datasetsDir;
    private final boolean showProgress;
    private final HttpClient http;

    /**
     * @param datasetsDir  the folder corpora are stored in, e.g. {@code datasets}
     * @param showProgress whether to draw a progress bar; pass false in tests and when not on a terminal
     */
    public CorpusDownloader(Path datasetsDir, boolean showProgress) {
        this(datasetsDir, showProgress, RESPONSE_TIMEOUT);
    }

    /** @param stallLimit how long the body may send nothing before the download is given up (tests shorten it) */
    CorpusDownloader(Path datasetsDir, boolean showProgress, Duration stallLimit) {
        this.datasetsDir = datasetsDir.toAbsolutePath().normalize();
        this.showProgress = showProgress;
        this.stallLimit = stallLimit;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /** Fetches {@code corpus} from its public URL; see {@link #fetch(Corpus, URI, boolean)}. */
    public Fetched fetch(Corpus corpus, boolean force) throws IOException {
        return fetch(corpus, corpus.url(), force);
    }

    /**
     * Fetches {@code corpus} from {@code source} unless a file with the right checksum is already in
     * place (or {@code force} is set).
     *
     * @param source an {@code http(s)} URL, or a {@code file:} URI of a local copy
     * @throws UserError when the source cannot be read or does not hold the expected file; the message
     *     says how to fix it
     */
    public Fetched fetch(Corpus corpus, URI source, boolean force) throws IOException {
        Fetched download = fetchVerified(corpus, source, force);
        if (corpus.unpack() == null) {
            return download;
        }
        // The checksum is the archive's; the text inside is taken out when it is not already there, whole.
        if (download.wasAlreadyPresent() && ZipEntryExtractor.isExtracted(corpus, datasetsDir)) {
            return new Fetched(corpus.textIn(datasetsDir), true);
        }
        System.err.println("extracting " + corpus.unpack().entry() + " from " + download.file()); // the command's own line
        return new Fetched(ZipEntryExtractor.extract(corpus, datasetsDir), false);
    }

    /** The corpus's file (the archive, for an archived corpus), downloaded and verified unless already there. */
    private Fetched fetchVerified(Corpus corpus, URI source, boolean force) throws IOException {
        Path target = corpus.locationIn(datasetsDir);
        if (!force && isAlreadyPresent(corpus, target)) {
            return new Fetched(target, true);
        }
        // Before the download, which may be long, fails only when saving.
        OutputPaths.requireWritableFile("the corpus", target, "give --dir a folder you can write to, e.g. datasets");
        System.err.println("fetching " + corpus.name() + " from " + describe(source)); // the command's own line, no prefix
        try (InputStream in = open(corpus, source, target)) {
            saveVerified(corpus, in, source, target);
        }
        return new Fetched(target, false);
    }

    private static boolean isAlreadyPresent(Corpus corpus, Path target) throws IOException {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        String actual = Sha256.of(target);
        if (actual.equals(corpus.sha256())) {
            log.debug("{} is already at {} with the right checksum: nothing to do", corpus.name(), target);
            return true;
        }
        log.warn("{} exists but its sha256 is {}, not {} (an old, partial or different file): fetching it again",
                target, actual, corpus.sha256());
        return false;
    }

    private InputStream open(Corpus corpus, URI source, Path target) throws IOException {
        String scheme = String.valueOf(source.getScheme()).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> openFile(corpus, Path.of(source));
            case "http", "https" -> openUrl(corpus, source, target);
            default -> throw new UserError("cannot fetch " + corpus.name() + " from " + source
                    + ": use an http(s) URL or the path of a local file");
        };
    }

    private static InputStream openFile(Corpus corpus, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError("--from file " + file + (Files.isDirectory(file) ? " is a folder: give the corpus file"
                    + " inside it" : " does not exist: check the path") + ", or leave out --from to download "
                    + corpus.name() + " from " + corpus.url());
        }
        return Files.newInputStream(file);
    }

    private InputStream openUrl(Corpus corpus, URI url, Path target) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + url);
        } catch (IOException e) {
            // No network, unknown host, connection refused, timeout: the user can still get the file another way.
            throw new UserError("cannot reach " + url + " (" + reason(e) + "). To fetch it by hand, "
                    + howToFetchByHand(corpus, target), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new UserError(url + " answered HTTP " + response.statusCode() + " instead of the " + corpus.name()
                    + " file: check the URL. To fetch it by hand, " + howToFetchByHand(corpus, target));
        }
        return new StallGuard(response.body(), stallLimit);
    }

    private void saveVerified(Corpus corpus, InputStream in, URI source, Path target) throws IOException {
        NewFolders made = NewFolders.onTheWayTo(target.getParent()); // a failed fetch leaves no empty folder
        Files.createDirectories(target.getParent());
        // Next to the target, so that the final move is a rename inside one file system and can be atomic.
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
        boolean moved = false;
        try {
            String actual;
            try {
                actual = copyHashing(corpus, in, temp);
            } catch (IOException e) {
                throw brokeOff(corpus, source, target, e);
            }
            if (!actual.equals(corpus.sha256())) {
                throw checksumMismatch(corpus, source, actual, Files.size(temp));
            }
            // Whoever reads the target sees the old file or the complete new one, never half a download.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
                made.removeEmpty();
            }
        }
    }

    /** Copies {@code in} into {@code temp} and returns the SHA-256 of the bytes copied. */
    private String copyHashing(Corpus corpus, InputStream in, Path temp) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream hashed = withProgress(corpus, new DigestInputStream(in, digest))) {
            // Files.copy re-creates the temp file with ordinary permissions (createTempFile makes it owner-only).
            Files.copy(hashed, temp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The stall watchdog's interrupt may surface in the file write rather than in the read.
            throw in instanceof StallGuard guard ? guard.explain(e) : e;
        }
        return Sha256.hex(digest);
    }

    private InputStream withProgress(Corpus corpus, InputStream in) {
        if (!showProgress) {
            return in;
        }
        ProgressBarBuilder bar = new ProgressBarBuilder()
                .setTaskName(corpus.name())
                .setInitialMax(corpus.sizeBytes())
                .setUnit("KiB", 1024)
                .showSpeed();
        return ProgressBar.wrap(in, bar);
    }

    private static UserError checksumMismatch(Corpus corpus, URI source, String actual, long actualBytes) {
        String fix = source.equals(corpus.url())
                ? "Try again; if it keeps failing, the file online has changed: get the original elsewhere and pass"
                        + " it with `--from FILE|URL`."
                : "Fetch it from a source that serves the original file, such as " + corpus.url();
        return new UserError("checksum mismatch for " + corpus.name() + " from " + describe(source)
                + ": expected sha256 " + corpus.sha256() + " (" + corpus.sizeBytes() + " bytes), got " + actual
                + " (" + actualBytes + " bytes); nothing was saved. " + fix);
    }

    private static UserError brokeOff(Corpus corpus, URI source, Path target, IOException e) {
        return new UserError("fetching " + corpus.name() + " from " + describe(source) + " broke off (" + reason(e)
                + "); nothing was saved. Run the command again or, to fetch it by hand, "
                + howToFetchByHand(corpus, target), e);
    }

    private static String howToFetchByHand(Corpus corpus, Path target) {
        return "download " + corpus.url() + " and save it as " + target + ", or point at a copy or a mirror"
                + " with `scratchgpt data fetch " + corpus.name() + " --from FILE|URL`.";
    }

    /** A local path for {@code file:} sources (what the user typed), the URL otherwise. */
    private static String describe(URI source) {
        return "file".equalsIgnoreCase(source.getScheme()) ? Path.of(source).toString() : source.toString();
    }

    /** The most telling message in an exception chain; the HTTP client often leaves the outer one empty. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "host not found";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
