package org.scratchgpt.curation.split;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.curation.Document;

/**
 * Writes each document into the split {@link SplitChooser} gives it, and makes sure that train and val both get
 * one when there are two documents or more: training on a prepared dataset needs both. The hash sends about 5% of
 * documents to val, so a corpus of a few files often gets none. To mend that without a second pass, the latest
 * document of train (and of val) is held back until the next one of its split comes: for any corpus whose splits
 * fill by themselves, the output is what writing at once gives, in the same order. At the end, if val is empty and
 * train holds two documents or more, its last one goes to val (and the other way round); the report says which.
 * One document cannot be in both, so with one document (and val asked for) preparing is refused. (No document at
 * all is the pipeline's to explain.)
 */
public final class NonEmptySplits {

    /** Told of each document as it is written, with its split: for the report's counts. */
    @FunctionalInterface
    public interface Written {
        void written(String split, Document document);
    }

    private final SplitChooser chooser;
    private final SplitWriter writer;
    private final Written written;
    private final Map<String, Document> heldBack = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    public NonEmptySplits(SplitChooser chooser, SplitWriter writer, Written written) {
        this.chooser = chooser;
        this.writer = writer;
        this.written = written;
    }

    /** Writes {@code document} into its split, or holds it back (and writes the one held before). */
    public void write(Document document) throws IOException {
        String split = chooser.splitOf(document.id());
        counts.merge(split, 1L, Long::sum);
        if (!split.equals(SplitChooser.TRAIN) && !split.equals(SplitChooser.VAL)) {
            writeInto(split, document);
            return;
        }
        Document before = heldBack.put(split, document);
        if (before != null) {
            writeInto(split, before);
        }
    }

    /**
     * Writes the documents held back, moving one where train or val would stay empty; returns the line that says
     * so, if one moved.
     *
     * @throws UserError if val is asked for and train or val still has no document (one document in all)
     */
    public Optional<String> finish() throws IOException {
        Optional<String> moved = Optional.empty();
        if (chooser.splits().contains(SplitChooser.VAL)) {
            moved = moveOne(SplitChooser.TRAIN, SplitChooser.VAL).or(() -> moveOne(SplitChooser.VAL, SplitChooser.TRAIN));
        }
        for (Map.Entry<String, Document> held : heldBack.entrySet()) {
            writeInto(held.getKey(), held.getValue());
        }
        heldBack.clear();
        boolean bothFilled = count(SplitChooser.TRAIN) > 0 && count(SplitChooser.VAL) > 0;
        if (chooser.splits().contains(SplitChooser.VAL) && total() > 0 && !bothFilled) {
            throw new UserError(String.format("%d document%s reached the splits (train %d, val %d, test %d), and"
                    + " training needs one in train and one in val: give two documents or more (a single long text can"
                    + " be cut into files, e.g. `mkdir parts && split -l 1000 input.txt parts/`), or train on one text"
                    + " with `scratchgpt train --corpus FILE`, which keeps its last 10%% for val",
                    total(), total() == 1 ? "" : "s", count(SplitChooser.TRAIN), count(SplitChooser.VAL),
                    count(SplitChooser.TEST)));
        }
        return moved;
    }

    /** Moves the document held back from {@code from} to {@code to}, when {@code to} is empty and {@code from} has two. */
    private Optional<String> moveOne(String from, String to) {
        if (count(to) > 0 || count(from) < 2) {
            return Optional.empty();
        }
        Document document = heldBack.remove(from);
        heldBack.put(to, document);
        counts.merge(from, -1L, Long::sum);
        counts.merge(to, 1L, Long::sum);
        return Optional.of(String.format("the %s split got none of the %d documents by their hash: the last %s"
                + " document, %s, went to %s instead, so that training has both", to, total(), from, document.id(), to));
    }

    private void writeInto(String split, Document document) throws IOException {
        writer.write(split, document);
        written.written(split, document);
    }

    private long count(String split) {
        return counts.getOrDefault(split, 0L);
    }

    private long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
