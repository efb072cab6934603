package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scratchgpt.UserError;
import org.scratchgpt.data.Corpus;
import org.scratchgpt.data.CorpusDownloader;
import org.scratchgpt.data.KnownCorpus;
import org.scratchgpt.io.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code scratchgpt data}: download the training corpora and see which ones are here. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    subcommands = DataPrepareCommand.class,
    description = "Download training corpora, list the known ones, and prepare documents for training.")
public final class DataCommand implements Runnable {

    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "datasets", scope = ScopeType.INHERIT,
            description = "The folder corpora are stored in (default: ${DEFAULT-VALUE}).")
    Path datasetsDir;

    @Override
    public void run() {
        spec.commandLine().usage(out());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a corpus into the datasets folder and verify its SHA-256.")
    void fetch(
            @Parameters(paramLabel = "NAME", description = "The corpus, e.g. tinyshakespeare (see `data list`).")
            String name,
            @Option(names = "--from", paramLabel = "FILE|URL",
                    description = "Take the corpus from a local copy or a mirror instead of its public URL.")
            String from,
            @Option(names = "--force", description = "Fetch again even if a good copy is already there.")
            boolean force) throws IOException {
        Corpus corpus = KnownCorpus.named(name);
        URI source = from == null ? corpus.url() : sourceFrom(from);
        // A progress bar only helps a person watching; in a pipe or a log it would be noise.
        boolean onTerminal = Terminal.onStandardError();
        CorpusDownloader.Fetched fetched = new CorpusDownloader(datasetsDir, onTerminal).fetch(corpus, source, force);
        if (fetched.wasAlreadyPresent()) {
            out().println(corpus.name() + " is already at " + fetched.file() + " (sha256 verified);"
                    + " --force fetches it again");
        } else {
            out().println("saved " + corpus.name() + " to " + fetched.file() + " (sha256 verified)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the known corpora and whether each is in the datasets folder.")
    void list() throws IOException {
        out().println("corpora in " + datasetsDir.toAbsolutePath().normalize() + ":");
        String row = "%-16s %12s  %-64s  %s%n";
        out().printf(row, "NAME", "BYTES", "SHA256", "LOCAL");
        for (Corpus corpus : KnownCorpus.all()) {
            out().printf(row, corpus.name(), corpus.sizeBytes(), corpus.sha256(), localStatus(corpus));
        }
    }

    /**
     * Whether the corpus file is here. Only its size is compared: hashing every corpus on each listing
     * would be slow for big ones, and {@code fetch} verifies the checksum anyway.
     */
    private String localStatus(Corpus corpus) throws IOException {
        Path file = corpus.locationIn(datasetsDir);
        if (!Files.isRegularFile(file)) {
            return "no";
        }
        long size = Files.size(file);
        return size == corpus.sizeBytes()
                ? "yes"
                : "wrong size (" + size + " bytes): run `scratchgpt data fetch " + corpus.name() + "`";
    }

    /** {@code --from} takes a URL or a local path; both become URIs, a path as a {@code file:} URI. */
    private static URI sourceFrom(String from) {
        String lower = from.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                return URI.create(from);
            } catch (IllegalArgumentException e) {
                throw new UserError("--from " + from + " is not a valid URL (" + e.getMessage()
                        + "): check it, and write spaces as %20");
            }
        }
        if (from.contains("://")) {
            throw new UserError("--from " + from + ": only http:// and https:// URLs or local files are supported");
        }
        return Path.of(from).toAbsolutePath().toUri();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
