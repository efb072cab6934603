package org.scratchgpt.curation.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * Exact deduplication: a document whose text was seen before is removed (rule {@value #RULE}); the first copy is
 * kept.
 *
 * <p>"The same text" means the same after one normalisation: runs of whitespace become one space and the ends are
 * trimmed, so copies that differ only in line wrapping or trailing blanks count as the same; case and punctuation
 * still matter (near duplicates are {@link MinHashDedup}'s job). The normalised text, as UTF-8, is hashed with
 * SHA-256 and only the first 128 bits are remembered: with n documents the chance that two different texts share a
 * fingerprint is about n^2 / 2^129, i.e. 10^-26 for ten million documents, so a removal is never a false alarm in
 * practice. Memory: 16 bytes per fingerprint in an open-addressing table kept between 3/8 and 3/4 full, so 21 to 43
 * bytes per kept document (about 130 MB for three million documents at the worst point). One instance serves one
 * stream, from one thread at a time.
 */
public final class ExactDedup implements DocumentStage {
    public static final String RULE = "exact_duplicate";

    private final Fingerprints seen = new Fingerprints();
    private final MessageDigest sha256 = newSha256();

    @Override
    public String name() {
        return "exact_dedup";
    }

    @Override
    public Verdict apply(Document document) {
        ByteBuffer digest = ByteBuffer.wrap(sha256.digest(normalized(document.text()).getBytes(StandardCharsets.UTF_8)));
        boolean isNew = seen.add(digest.getLong(0), digest.getLong(8));
        return isNew ? Verdict.keep(document) : Verdict.remove(document, RULE);
    }

    /** How many distinct texts this stage has seen (= documents it kept). */
    public long distinctTexts() {
        return seen.size();
    }

    /** The bytes of heap that the remembered fingerprints take now. */
    public long memoryBytes() {
        return seen.memoryBytes();
    }

    /** The text with every run of whitespace made one space and the ends trimmed: what "the same text" compares. */
    static String normalized(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
