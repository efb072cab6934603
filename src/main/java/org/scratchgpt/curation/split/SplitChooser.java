package org.scratchgpt.curation.split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;

/**
 * Which split (train, val, test) a document goes to, decided by a hash of its id alone: the same document lands
 * in the same split on every run, whatever else the corpus holds and in whatever order it is read, and no
 * document can be in two splits. (Its near duplicates are removed before, so none of them leaks into another split
 * either.) The hash is SHA-256, whose first 8 bytes are spread uniformly, turned into a number in [0, 1).
 */
public final class SplitChooser {
    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String TEST = "test";

    private final double valFraction;
    private final double testFraction;

    public SplitChooser(double valFraction, double testFraction) {
        if (valFraction < 0 || testFraction < 0 || valFraction + testFraction >= 1) {
            throw new UserError("--val-fraction " + valFraction + " and --test-fraction " + testFraction
                    + " leave nothing to train on: give fractions >= 0 whose sum is below 1, e.g. 0.05 and 0");
        }
        this.valFraction = valFraction;
        this.testFraction = testFraction;
    }

    /** The splits this chooser can give, in order: train, val if its fraction is above 0, test likewise. */
    public List<String> splits() {
        List<String> splits = new ArrayList<>(List.of(TRAIN));
        if (valFraction > 0) {
            splits.add(VAL);
        }
        if (testFraction > 0) {
            splits.add(TEST);
        }
        return splits;
    }

    public String splitOf(String documentId) {
        double position = positionOf(documentId);
        if (position < valFraction) {
            return VAL;
        }
        return position < valFraction + testFraction ? TEST : TRAIN;
    }

    /** Where the id's hash falls in [0, 1). */
    static double positionOf(String documentId) {
        byte[] digest = sha256().digest(documentId.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (digest[i] & 0xFF);
        }
        return (bits >>> 11) * 0x1.0p-53; // the top 53 bits, as a double's fraction
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
