package org.scratchgpt.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.MatmulPeak;
import org.scratchgpt.plan.Timing;

/**
 * The peer: the same GPT and training step in PyTorch eager mode ({@code src/test/python/torch_eager_gpt.py}),
 * run with the machine's python3 and torch (on Debian: {@code apt-get install python3-torch libopenblas0-openmp}),
 * as many threads as cores, in the precision ScratchGPT computes in (bf16 through {@code torch.autocast}). The
 * script stays up after its warm-up and times its own steps, so Python's start-up is never counted and the two
 * sides can take turns.
 */
public final class TorchEager implements AutoCloseable {
    private final PythonPeer peer;

    private TorchEager(PythonPeer peer) {
        this.peer = peer;
    }

    /**
     * Refuses a precision PyTorch cannot compute on a CPU: 1.13's CPU autocast knows only bfloat16 (it disables
     * itself with a warning for float16), and a float16 model on a CPU multiplies at about 1 GFLOP/s.
     */
    public static void requireComparable(Precision precision) {
        if (precision == Precision.FP16) {
            throw new UserError("--vs-torch is not compared in fp16: PyTorch 1.13 autocasts only to bf16 on a CPU;"
                    + " use --precision bf16 or fp32");
        }
    }

    /** Whether python3 with torch is here (tests that need the peer skip without it). */
    public static boolean available() {
        return PythonPeer.available();
    }

    /** Starts the peer on {@code model}'s shape and {@code training}'s batch, and runs its warm-up steps. */
    public static TorchEager start(GptConfig model, TrainingSettings training, Precision precision, int warmup)
            throws IOException {
        requireComparable(precision);
        List<String> arguments = new ArrayList<>(List.of("--serve",
                "--layers", "" + model.layers(), "--heads", "" + model.heads(), "--width", "" + model.embeddingWidth(),
                "--context", "" + model.contextLength(), "--vocab", "" + model.vocabSize(),
                "--batch", "" + training.batchSize() * training.accumulationSteps(), "--warmup", "" + warmup,
                "--dropout", "" + model.dropout(), "--precision", precision.cliName()));
        if (model.bias()) {
            arguments.add("--bias");
        }
        return new TorchEager(PythonPeer.start("torch_eager_gpt.py", arguments));
    }

    /** E.g. "PyTorch 1.13.0a0 eager, 2 threads". */
    public String describe() {
        return peer.describe();
    }

    /** How the peer computes attention (1.13 has no fused kernel, so it is written out). */
    public String attention() {
        return peer.attention();
    }

    /** The BLAS the peer's process loaded. */
    public LoadedBlas blas() {
        return peer.blas();
    }

    /** Runs {@code steps} training steps and returns their median seconds, as the script timed them. */
    public double medianStepSeconds(int steps) throws IOException {
        List<Double> seconds = new ArrayList<>();
        for (JsonElement s : peer.ask("steps " + steps).getAsJsonArray("seconds")) {
            seconds.add(s.getAsDouble());
        }
        return Timing.median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The peer's own matmul peak in its precision over {@code shapes}: what its MFU is against. */
    public double peakFlops(List<MatmulPeak.Shape> shapes) throws IOException {
        String list = shapes.stream().map(s -> String.format(Locale.ROOT, "%d,%d,%d", s.m(), s.k(), s.n()))
                .collect(Collectors.joining(";"));
        return peer.ask("peak " + list).get("peak_flops").getAsDouble();
    }

    /** One step under PyTorch's profiler: its {@code top} ops by self time, and the step's total. */
    public OpProfile profile(int top) throws IOException {
        JsonObject reply = peer.ask("profile " + top);
        List<OpProfile.Op> ops = new ArrayList<>();
        for (JsonElement e : reply.getAsJsonArray("ops")) {
            JsonObject op = e.getAsJsonObject();
            ops.add(new OpProfile.Op(op.get("name").getAsString(), op.get("shapes").getAsString(),
                    op.get("calls").getAsInt(), op.get("self_ms").getAsDouble()));
        }
        return new OpProfile(ops, reply.get("total_ms").getAsDouble());
    }

    @Override
    public void close() {
        peer.close();
    }
}
