package org.scratchgpt.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where ScratchGPT's training step spends its time, read from libtorch's own profiler through DJL ({@code
 * JniUtils.startProfile} / {@code stopProfile}), which writes a Chrome trace: one event per op call with its start,
 * duration, thread and input shapes. An op's self time is its duration less that of the ops it called, which are
 * the events that lie inside it on the same thread.
 */
public final class StepProfile {
    private StepProfile() {}

    /** Runs {@code step} once under the profiler (after the caller's warm-up) and returns its {@code top} ops. */
    public static OpProfile record(Runnable step, Path workDir, int top) throws IOException {
        Path trace = workDir.resolve("step-trace.json");
        JniUtils.startProfile(false, true, false); // no CUDA, record input shapes, no memory
        try {
            step.run();
        } finally {
            JniUtils.stopProfile(trace.toString());
        }
        return of(JsonParser.parseString(Files.readString(trace, StandardCharsets.UTF_8)).getAsJsonArray(), top);
    }

    /** The {@code top} ops by self time among a Chrome trace's complete ("X") events. */
    public static OpProfile of(JsonArray trace, int top) {
        Map<Long, List<Call>> byThread = new LinkedHashMap<>();
        for (JsonElement element : trace) {
            JsonObject event = element.getAsJsonObject();
            if ("X".equals(event.get("ph").getAsString())) {
                byThread.computeIfAbsent(event.get("tid").getAsLong(), t -> new ArrayList<>()).add(Call.of(event));
            }
        }
        Map<String, OpProfile.Op> ops = new LinkedHashMap<>();
        double total = 0;
        for (List<Call> calls : byThread.values()) {
            subtractChildren(calls);
            for (Call call : calls) {
                total += call.self;
                ops.merge(call.name + "\t" + call.shapes, new OpProfile.Op(call.name, call.shapes, 1, call.self / 1000),
                        (a, b) -> new OpProfile.Op(a.name(), a.shapes(), a.calls() + 1, a.selfMillis() + b.selfMillis()));
            }
        }
        List<OpProfile.Op> sorted = ops.values().stream()
                .sorted(Comparator.comparingDouble(OpProfile.Op::selfMillis).reversed()).limit(top).toList();
        return new OpProfile(sorted, total / 1000);
    }

    /**
     * Takes each call's duration off its parent's self time: in start order (the longer first where two start
     * together, as a parent starts with its first child), a call's parent is the innermost open call it starts in.
     */
    private static void subtractChildren(List<Call> calls) {
        calls.sort(Comparator.comparingDouble((Call c) -> c.start).thenComparing(c -> -c.duration));
        Deque<Call> open = new ArrayDeque<>();
        for (Call call : calls) {
            while (!open.isEmpty() && open.peek().end() <= call.start) {
                open.pop();
            }
            if (!open.isEmpty()) {
                open.peek().self -= call.duration;
            }
            open.push(call);
        }
    }

    /** One op call of a trace, in microseconds. */
    private static final class Call {
        final String name;
        final String shapes;
        final double start;
        final double duration;
        double self;

        private Call(String name, String shapes, double start, double duration) {
            this.name = name;
            this.shapes = shapes;
            this.start = start;
            this.duration = duration;
            this.self = duration;
        }

        static Call of(JsonObject event) {
            JsonElement shape = event.get("shape");
            return new Call(event.get("name").getAsString(), shape == null ? "[]" : pythonStyle(shape),
                    event.get("ts").getAsDouble(), event.get("dur").getAsDouble());
        }

        double end() {
            return start + duration;
        }
    }

    /** Shapes as PyTorch's profiler prints them, e.g. "[[8, 64], []]", so the two sides' tables read alike. */
    static String pythonStyle(JsonElement shape) {
        if (!shape.isJsonArray()) {
            return shape.getAsString();
        }
        return "[" + shape.getAsJsonArray().asList().stream().map(StepProfile::pythonStyle)
                .collect(Collectors.joining(", ")) + "]";
    }
}
