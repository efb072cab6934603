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
