package org.scratchgpt.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;

/**
 * The generation peer: the same GPT shape in PyTorch eager mode ({@code src/test/python/torch_generate_gpt.py}),
 * random weights, greedy, batch 1, with a KV cache, from a prompt of the same length. In bf16 its weights are
 * converted to bfloat16 once; with int8 it uses PyTorch's dynamic quantization of the Linear layers, a different
 * method from ScratchGPT's, named as such in {@link #describe()}. The script times its own generations.
 */
public final class TorchGenerate implements AutoCloseable {
    private final PythonPeer peer;

    private TorchGenerate(PythonPeer peer) {
        this.peer = peer;
    }

    /** Refuses fp16: a float16 model on a CPU multiplies at about 1 GFLOP/s in 1.13, no comparison worth timing. */
    public static void requireComparable(Precision precision) {
        if (precision == Precision.FP16) {
            throw new UserError("--vs-torch is not compared in fp16: PyTorch multiplies float16 on a CPU at about 1"
                    + " GFLOP/s; use --precision bf16 or fp32");
        }
    }

    /** Starts the peer on {@code config}'s shape; {@code quantize} is null or "int8"; fp16 is refused. */
    public static TorchGenerate start(GptConfig config, int promptTokens, Precision precision, String quantize)
            throws IOException {
        requireComparable(precision);
        List<String> arguments = new ArrayList<>(List.of("--layers", "" + config.layers(), "--heads",
                "" + config.heads(), "--width", "" + config.embeddingWidth(), "--context", "" + config.contextLength(),
                "--vocab", "" + config.vocabSize(), "--prompt", "" + promptTokens, "--precision", precision.cliName()));
        if (quantize != null) {
            arguments.addAll(List.of("--quantize", quantize));
        }
        if (config.bias()) {
            arguments.add("--bias");
        }
        return new TorchGenerate(PythonPeer.start("torch_generate_gpt.py", arguments));
    }

    /** E.g. "PyTorch 1.13.0a0 eager, 2 threads, bf16 weights". */
    public String describe() {
        return peer.describe() + ", " + peer.ready().get("method").getAsString();
    }

    /** How the peer computes attention (written out: 1.13 has no fused kernel). */
    public String attention() {
        return peer.attention();
    }

    /** The BLAS the peer's process loaded. */
    public LoadedBlas blas() {
        return peer.blas();
    }

    /** The seconds of one generation of {@code newTokens} tokens, prefill included, as the script timed it. */
    public double seconds(int newTokens) throws IOException {
        return peer.ask("generate " + newTokens).get("seconds").getAsDouble();
    }

    @Override
    public void close() {
        peer.close();
    }
}
