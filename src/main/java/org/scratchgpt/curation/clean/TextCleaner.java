package org.scratchgpt.curation.clean;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * Makes equal text equal byte for byte, so that the filters, deduplication and the tokenizer see one form of it:
 *
 * <ol>
 *   <li>Unicode NFC: "é" typed as e + a combining accent becomes the one character é (otherwise two spellings of a
 *       word look like two words to deduplication and cost the tokenizer two merges);
 *   <li>line endings: \r\n and a lone \r become \n;
 *   <li>control characters go (NUL, escape sequences, a byte-order mark), except \n and \t, which carry layout;
 *   <li>whitespace runs: spaces and tabs inside a line shrink to one space (a lone tab stays a tab; a lone no-break space becomes a space), a line's trailing ones go,
 *       three or more line breaks become two (a paragraph break is kept, it is structure), and the document loses its
 *       leading and trailing whitespace.
 * </ol>
 *
 * Each is counted in the verdict: {@code nfc} (documents whose text NFC changed), {@code line_endings},
 * {@code control_characters}, {@code whitespace_runs}.
 */
public final class TextCleaner implements DocumentStage {
    @Override
    public String name() {
        return "clean";
    }

    @Override
    public Verdict apply(Document document) {
        Map<String, Integer> changes = new LinkedHashMap<>();
        String text = document.text();
        String normalized = Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFC);
        count(changes, "nfc", normalized.equals(text) ? 0 : 1);
        String cleaned = new Cleaning(normalized, changes).run();
        return changes.isEmpty() ? Verdict.keep(document) : Verdict.changed(document.withText(cleaned), changes);
    }

    private static void count(Map<String, Integer> changes, String kind, int n) {
        if (n > 0) {
            changes.merge(kind, n, Integer::sum);
        }
    }

    /** One pass over the characters of one text; the counts go into {@code changes}. */
    private static final class Cleaning {
        private final String text;
        private final Map<String, Integer> changes;
        private final StringBuilder out;
        private int pendingSpaces; // horizontal whitespace seen since the last visible character
        private char pendingSpace; // the last of them: a lone space or tab is kept as it is
        private int pendingNewlines;
        private boolean droppedLineEnd; // spaces before a pending line break, dropped

        Cleaning(String text, Map<String, Integer> changes) {
            this.text = text;
            this.changes = changes;
            this.out = new StringBuilder(text.length());
        }

        String run() {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r') {
                    count(changes, "line_endings", 1);
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    newline();
                } else if (c == '\n') {
                    newline();
                } else if (c == '\t' || isHorizontalSpace(c)) {
                    pendingSpaces++;
                    pendingSpace = c;
                } else if (isControl(c)) {
                    count(changes, "control_characters", 1);
                } else {
                    flushWhitespace();
                    out.append(c);
                }
            }
            if (pendingSpaces > 0 || pendingNewlines > 0 || droppedLineEnd) {
                count(changes, "whitespace_runs", 1); // trailing whitespace of the document
            }
            return out.toString();
        }

        private void newline() {
            if (pendingSpaces > 0) {
                droppedLineEnd = true; // trailing whitespace of a line, counted with the run it belongs to
                pendingSpaces = 0;
            }
            pendingNewlines++;
        }

        private void flushWhitespace() {
            if (out.length() == 0) {
                if (pendingSpaces > 0 || pendingNewlines > 0) {
                    count(changes, "whitespace_runs", 1); // leading whitespace of the document
                }
            } else if (pendingNewlines > 0) {
                if (pendingNewlines > 2 || droppedLineEnd) {
                    count(changes, "whitespace_runs", 1);
                }
                out.append(pendingNewlines >= 2 ? "\n\n" : "\n");
                appendSpace(); // indentation, shrunk to one
            } else {
                appendSpace();
            }
            pendingSpaces = 0;
            pendingNewlines = 0;
            droppedLineEnd = false;
        }

        /** The pending horizontal whitespace as one character: itself when it is one space or tab, else a space. */
        private void appendSpace() {
            if (pendingSpaces == 0) {
                return;
            }
            boolean asItIs = pendingSpaces == 1 && (pendingSpace == ' ' || pendingSpace == '\t');
            out.append(asItIs ? pendingSpace : ' ');
            count(changes, "whitespace_runs", asItIs ? 0 : 1);
        }

        /** A space that is not a line break: ' ', no-break space, the typographic spaces (Unicode Zs). */
        private static boolean isHorizontalSpace(char c) {
            return c == ' ' || Character.getType(c) == Character.SPACE_SEPARATOR;
        }

        /** C0 and C1 controls (Unicode Cc) and the byte-order mark; \n, \r and \t are handled before. */
        private static boolean isControl(char c) {
            return Character.getType(c) == Character.CONTROL || c == '\uFEFF';
        }
    }
}
