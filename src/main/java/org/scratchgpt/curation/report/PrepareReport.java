package org.scratchgpt.curation.report;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.curation.Verdict;
import org.scratchgpt.io.AtomicFiles;

/**
 * What {@code data prepare} did, stage by stage, for {@code report.json} (for programs) and {@code report.md} (for
 * people): documents and bytes in and out, what each rule removed, what was changed, examples, and the documents,
 * bytes and tokens of each split.
 */
public final class PrepareReport {
    private final Map<String, StageTally> stages = new LinkedHashMap<>();
    private final Map<String, SplitTally> splits = new LinkedHashMap<>();
    private final Map<String, Object> settings;
    private final List<String> notes = new ArrayList<>();

    /** A split's documents, bytes of text and, once tokenized, tokens. */
    static final class SplitTally {
        long documents;
        long bytes;
        Long tokens;
    }

    public PrepareReport(List<String> stageNames, List<String> splitNames, Map<String, Object> settings) {
        stageNames.forEach(name -> stages.put(name, new StageTally(name)));
        splitNames.forEach(name -> splits.put(name, new SplitTally()));
        this.settings = settings;
    }

    /** Counts {@code stage}'s verdict on a document of {@code bytesBefore} bytes, which took {@code nanos}. */
    public void count(String stage, long bytesBefore, Verdict verdict, long nanos) {
        StageTally tally = stages.get(stage);
        tally.count(bytesBefore, verdict);
        tally.nanos += nanos;
    }

    public void written(String split, long bytes) {
        SplitTally tally = splits.get(split);
        tally.documents++;
        tally.bytes += bytes;
    }

    public void tokens(Map<String, Long> tokensPerSplit) {
        tokensPerSplit.forEach((split, tokens) -> splits.computeIfAbsent(split, s -> new SplitTally()).tokens = tokens);
    }

    /** The documents the first stage ({@code read}) saw, kept or not. */
    public long documentsRead() {
        return stages.values().iterator().next().documentsIn;
    }

    /** The documents the first stage ({@code read}) passed on. */
    public long documentsReadable() {
        return stages.values().iterator().next().documentsOut;
    }

    /** How many documents each rule removed, stage by stage in their order; empty when none was removed. */
    public Map<String, Long> removals() {
        Map<String, Long> removals = new LinkedHashMap<>();
        stages.values().forEach(stage -> stage.removedBy.forEach((rule, n) -> removals.merge(rule, n, Long::sum)));
        return removals;
    }

    /** A line about the preparation as a whole, e.g. a document moved so that val is not empty. */
    public void note(String line) {
        notes.add(line);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public long documentsWritten() {
        return splits.values().stream().mapToLong(s -> s.documents).sum();
    }

    public long documentsWritten(String split) {
        SplitTally tally = splits.get(split);
        return tally == null ? 0 : tally.documents;
    }

    /** Writes {@code report.json} and {@code report.md} into {@code dir}. */
    public void writeInto(Path dir) throws IOException {
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                .toJson(asJson());
        AtomicFiles.write(dir.resolve("report.json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.md"), ReportMarkdown.of(this).getBytes(StandardCharsets.UTF_8));
    }

    Map<String, Object> asJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("settings", settings);
        List<Map<String, Object>> stageList = new ArrayList<>();
        for (StageTally t : stages.values()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", t.stage);
            s.put("documents_in", t.documentsIn);
            s.put("documents_out", t.documentsOut);
            s.put("bytes_in", t.bytesIn);
            s.put("bytes_out", t.bytesOut);
            s.put("documents_changed", t.documentsChanged);
            s.put("removed_by", t.removedBy);
            s.put("changes", t.changes);
            s.put("seconds", t.nanos / 1e9);
            s.put("removed_examples", t.removedExamples);
            s.put("changed_examples", t.changedExamples);
            stageList.add(s);
        }
        root.put("stages", stageList);
        Map<String, Object> splitMap = new LinkedHashMap<>();
        splits.forEach((name, t) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("documents", t.documents);
            s.put("bytes", t.bytes);
            s.put("tokens", t.tokens);
            splitMap.put(name, s);
        });
        root.put("splits", splitMap);
        root.put("notes", notes);
        return root;
    }

    Iterable<StageTally> stages() {
        return stages.values();
    }

    Map<String, SplitTally> splits() {
        return splits;
    }
}
