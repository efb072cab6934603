package org.scratchgpt.training;

import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.io.Failures;
import org.scratchgpt.model.AttentionMaps;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.pictures.TokenLabels;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

/**
 * What the model's attention looks at on one text, kept at chosen steps of a training run, so that the picture of
 * attention changing as the model learns is one command ({@code scratchgpt attention --run DIR}). Each snapshot is
 * a small JSON file in the run folder, {@code attention/step-000050.json}, written atomically; taking one runs the
 * model once on the text, without dropout, and changes nothing in the training.
 */
public final class AttentionSnapshots {

    /** The folder of the run folder that holds the snapshots. */
    public static final String FOLDER = "attention";

    /**
     * Which text to look at, and at which steps; no steps means at every evaluation (step 0, every eval_interval,
     * the last step).
     */
    public record Plan(String text, List<Long> steps) {
        /** No snapshots. */
        public static final Plan NONE = new Plan("", List.of());

        public Plan {
            steps = List.copyOf(steps);
        }

        public boolean enabled() {
            return !text.isEmpty();
        }

        boolean takesAt(long step, boolean evaluation) {
            return enabled() && (steps.isEmpty() ? evaluation : steps.contains(step));
        }
    }

    /** One snapshot file's content. */
    private record Snapshot(long step, String text, List<String> tokens, float[][][][] weights) {}

    private static final Gson GSON = new Gson();

    private final Plan plan;
    private final Model model;
    private final int[] ids;
    private final List<String> tokens;
    private final Path folder;

    private AttentionSnapshots(Plan plan, Model model, int[] ids, List<String> tokens, Path folder) {
        this.plan = plan;
        this.model = model;
        this.ids = ids;
        this.tokens = tokens;
        this.folder = folder;
    }

    /**
     * Ready to take the plan's snapshots of the model being trained in {@code runDir}. The text is tokenized and
     * checked now, so that a text longer than the context fails before training starts, not at the first snapshot.
     */
    static AttentionSnapshots forRun(Plan plan, Model model, Path tokenizerJson, Path runDir) throws IOException {
        if (!plan.enabled()) {
            return new AttentionSnapshots(plan, model, new int[0], List.of(), runDir.resolve(FOLDER));
        }
        Tokenizer tokenizer = TokenizerJson.load(tokenizerJson);
        int[] ids = tokenizer.encode(plan.text());
        AttentionMaps.requireFits("--attention-text", ids.length, ((Gpt) model.getBlock()).config().contextLength());
        return new AttentionSnapshots(plan, model, ids, TokenLabels.of(tokenizer, ids), runDir.resolve(FOLDER));
    }

    /** Takes and saves a snapshot if the plan asks for one at this step ({@code evaluation}: the loop evaluates now). */
    void atStep(long step, boolean evaluation) throws IOException {
        if (!plan.takesAt(step, evaluation)) {
            return;
        }
        AttentionMaps maps = AttentionMaps.measure((Gpt) model.getBlock(), model.getNDManager(), ids, tokens);
        Snapshot snapshot = new Snapshot(step, plan.text(), maps.tokens(), maps.weights());
        AtomicFiles.write(folder.resolve(fileName(step)), GSON.toJson(snapshot).getBytes(StandardCharsets.UTF_8));
    }

    private static String fileName(long step) {
        return String.format(Locale.ROOT, "step-%06d.json", step);
    }

    /** Every snapshot kept in a run folder, by step. */
    public static SortedMap<Long, AttentionMaps> read(Path runDir) throws IOException {
        Path folder = runDir.resolve(FOLDER);
        if (!Files.isDirectory(folder)) {
            throw new UserError("no attention snapshots in " + runDir + " (it has no " + FOLDER + "/ folder): train"
                    + " with --attention-text TEXT (and --attention-steps 0,100,200) to keep some");
        }
        SortedMap<Long, AttentionMaps> byStep = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("step-\\d+\\.json")).toList()) {
                Snapshot snapshot = parse(file);
                byStep.put(snapshot.step(), new AttentionMaps(snapshot.tokens(), snapshot.weights()));
            }
        }
        if (byStep.isEmpty()) {
            throw new UserError("no attention snapshots in " + folder + ": the run has not reached any of its"
                    + " --attention-steps yet, or they were removed");
        }
        return byStep;
    }

    private static Snapshot parse(Path file) throws IOException {
        try {
            Snapshot snapshot = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Snapshot.class);
            if (snapshot == null || snapshot.tokens() == null || snapshot.weights() == null) {
                throw new JsonParseException("tokens or weights missing");
            }
            return snapshot;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new UserError("attention snapshot " + file + " is damaged (" + Failures.why(e) + "): delete it, or"
                    + " train again with --attention-text to write it anew", e);
        }
    }
}
