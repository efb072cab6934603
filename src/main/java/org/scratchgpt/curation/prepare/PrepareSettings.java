package org.scratchgpt.curation.prepare;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.curation.dedup.MinHashSettings;
import org.scratchgpt.curation.quality.GopherQualityThresholds;
import org.scratchgpt.curation.quality.GopherRepetitionThresholds;
import org.scratchgpt.curation.read.InvalidUtf8;

/**
 * Everything {@code data prepare} was asked to do: its inputs and output, how to read, which filters with which
 * thresholds, whether to deduplicate ({@code minHash} null: not), how to split, and whether to tokenize
 * ({@code tokenizer} null: not).
 */
public record PrepareSettings(
        List<Path> inputs, Path out, boolean force,
        String textField, InvalidUtf8 invalidUtf8, boolean keepEmpty,
        boolean quality, GopherQualityThresholds qualityThresholds, GopherRepetitionThresholds repetitionThresholds,
        MinHashSettings minHash,
        boolean redact,
        double valFraction, double testFraction,
        boolean gzip, long partBytes,
        Path tokenizer, int threads) {

    /** Settings named one by one; a field not given keeps its type's zero (false, 0, null). */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link PrepareSettings} field by field, as {@code data prepare}'s options name them. */
    public static final class Builder {
        private List<Path> inputs;
        private Path out;
        private boolean force;
        private String textField;
        private InvalidUtf8 invalidUtf8;
        private boolean keepEmpty;
        private boolean quality;
        private GopherQualityThresholds qualityThresholds;
        private GopherRepetitionThresholds repetitionThresholds;
        private MinHashSettings minHash;
        private boolean redact;
        private double valFraction;
        private double testFraction;
        private boolean gzip;
        private long partBytes;
        private Path tokenizer;
        private int threads;

        private Builder() {}

        public Builder inputs(List<Path> value) {
            inputs = value;
            return this;
        }

        /** The prepared folder. */
        public Builder out(Path value) {
            out = value;
            return this;
        }

        /** Whether an existing prepared folder may be replaced. */
        public Builder force(boolean value) {
            force = value;
            return this;
        }

        /** The JSON field that holds a document's text. */
        public Builder textField(String value) {
            textField = value;
            return this;
        }

        public Builder invalidUtf8(InvalidUtf8 value) {
            invalidUtf8 = value;
            return this;
        }

        public Builder keepEmpty(boolean value) {
            keepEmpty = value;
            return this;
        }

        /** Whether the Gopher filters run, with these thresholds. */
        public Builder quality(boolean value) {
            quality = value;
            return this;
        }

        public Builder qualityThresholds(GopherQualityThresholds value) {
            qualityThresholds = value;
            return this;
        }

        public Builder repetitionThresholds(GopherRepetitionThresholds value) {
            repetitionThresholds = value;
            return this;
        }

        /** Near-duplicate removal, or null for none. */
        public Builder minHash(MinHashSettings value) {
            minHash = value;
            return this;
        }

        public Builder redact(boolean value) {
            redact = value;
            return this;
        }

        public Builder valFraction(double value) {
            valFraction = value;
            return this;
        }

        public Builder testFraction(double value) {
            testFraction = value;
            return this;
        }

        public Builder gzip(boolean value) {
            gzip = value;
            return this;
        }

        /** The largest part file of a split. */
        public Builder partBytes(long value) {
            partBytes = value;
            return this;
        }

        /** The tokenizer that makes the token shards, or null for none. */
        public Builder tokenizer(Path value) {
            tokenizer = value;
            return this;
        }

        /** How many threads tokenize. */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        public PrepareSettings build() {
            return new PrepareSettings(inputs, out, force, textField, invalidUtf8, keepEmpty,
                    quality, qualityThresholds, repetitionThresholds, minHash, redact, valFraction,
                    testFraction, gzip, partBytes, tokenizer, threads);
        }
    }

    /** The settings as the report shows them. */
    public Map<String, Object> forReport() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("inputs", inputs.stream().map(Path::toString).toList());
        shown.put("text_field", textField);
        shown.put("invalid_utf8", invalidUtf8.name().toLowerCase(java.util.Locale.ROOT));
        shown.put("keep_empty", keepEmpty);
        shown.put("quality", quality ? qualityThresholds : "off");
        shown.put("repetition", quality ? repetitionThresholds : "off");
        shown.put("dedup", minHash == null ? "off" : minHash);
        shown.put("redact", redact);
        shown.put("val_fraction", valFraction);
        shown.put("test_fraction", testFraction);
        shown.put("tokenizer", tokenizer == null ? null : tokenizer.toString());
        return shown;
    }
}
