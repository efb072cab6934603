package org.scratchgpt.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.scratchgpt.UserError;

/**
 * Takes the text file out of a verified zip archive (enwik8 is published as {@code enwik8.zip}), with
 * {@code java.util.zip}, which reads the archive's central directory and inflates one entry as a stream. The file
 * is written beside its target and renamed into place once it has the expected size, as the download is.
 */
final class ZipEntryExtractor {
    private ZipEntryExtractor() {}

    /** Whether the extracted file is already there with its expected size. */
    static boolean isExtracted(Corpus corpus, Path datasetsDir) throws IOException {
        Path target = corpus.textIn(datasetsDir);
        return Files.isRegularFile(target) && Files.size(target) == corpus.unpack().sizeBytes();
    }

    /** Extracts the corpus's entry from its archive (already verified) to {@link Corpus#textIn}. */
    static Path extract(Corpus corpus, Path datasetsDir) throws IOException {
        Corpus.Unpack unpack = corpus.unpack();
        Path archive = corpus.locationIn(datasetsDir);
        Path target = corpus.textIn(datasetsDir);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry entry = zip.getEntry(unpack.entry());
            if (entry == null) {
                throw new UserError(archive + " has no file " + unpack.entry() + ": delete it and run `scratchgpt data"
                        + " fetch " + corpus.name() + "` again");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            long size = Files.size(temp);
            if (size != unpack.sizeBytes()) {
                throw new UserError(unpack.entry() + " in " + archive + " has " + size + " bytes, not "
                        + unpack.sizeBytes() + ": delete the archive and run `scratchgpt data fetch " + corpus.name()
                        + " --force`");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
