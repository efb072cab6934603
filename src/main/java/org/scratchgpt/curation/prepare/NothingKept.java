package org.scratchgpt.curation.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;
import org.scratchgpt.curation.read.DocumentReader;
import org.scratchgpt.curation.report.PrepareReport;

/**
 * Why {@code data prepare} kept no document, as one line that names the input and what to change. A prepared
 * folder without documents is no result: it used to exit 0 with "prepared 0 documents", or, with --tokenizer,
 * fail on its own half-written folder.
 */
final class NothingKept {
    private NothingKept() {}

    /**
     * @param fieldsWithoutText the fields of the JSON records that lacked {@code textField}
     */
    static UserError of(List<Path> inputs, String textField, PrepareReport report, Set<String> fieldsWithoutText) {
        String input = "--input " + inputs.stream().map(Path::toString).collect(Collectors.joining(" "));
        long read = report.documentsRead();
        if (read == 0) {
            return new UserError(input + " holds no documents (no files, names starting with a dot skipped, or"
                    + " only blank JSON lines):"
                    + " give text files, .jsonl or .jsonl.gz files, or a folder of them");
        }
        Map<String, Long> removals = report.removals();
        if (report.documentsReadable() == 0 && removals.containsKey(DocumentReader.MISSING_TEXT_FIELD)) {
            String fields = fieldsWithoutText.isEmpty() ? "" : " (their fields: " + String.join(", ",
                    fieldsWithoutText) + ")";
            return new UserError("no JSON record of " + input + " has a text field \"" + textField + "\"" + fields
                    + ": give --text-field the name of the field that holds the text");
        }
        String removedBy = removals.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return new UserError("data prepare kept none of the " + read + " documents of " + input + " (removed by: "
                + removedBy + "): give documents with text, or loosen the rule that removed them (e.g. --no-quality,"
                + " --min-words N, --keep-empty, --invalid-utf8 repair, --no-dedup)");
    }
}
