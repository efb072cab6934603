package org.scratchgpt.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.hf.Gpt2TensorNames;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.model.RotaryPositionalEncoding;
import org.scratchgpt.model.SinusoidalPositionalEncoding;
import org.scratchgpt.torchscript.TorchScriptArchive;

/**
 * A {@link Gpt} with its weights as one TorchScript module file ({@code model.pt}), which libtorch loads
 * anywhere: DJL's {@code Model.load}, or Python's {@code torch.jit.load}. The code is {@link GptTorchScript}'s
 * source; the weights are stored as float32, each tensor's numbers streamed straight from the model's arrays.
 */
public final class GptModuleFile {

    private GptModuleFile() {}

    /**
     * Writes {@code gpt}, whose weights are loaded, as a module file {@code file}; its tokenizer has
     * {@code tokenizerVocabSize} tokens (see {@link GptTorchScript#source}).
     */
    public static void write(Gpt gpt, int tokenizerVocabSize, Path file) throws IOException {
        write(gpt, tokenizerVocabSize, Precision.FP32, file);
    }

    /** As above, the module computing in {@code precision} (see {@link GptTorchScript#source}); weights float32. */
    public static void write(Gpt gpt, int tokenizerVocabSize, Precision precision, Path file) throws IOException {
        String source = GptTorchScript.source(gpt.config(), tokenizerVocabSize, precision);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            TorchScriptArchive.write(out, GptTorchScript.CLASS_NAME, source, tensors(gpt));
        }
    }

    /** The weights by the names the source declares, then the fixed position tables. */
    static List<TorchScriptArchive.Tensor> tensors(Gpt gpt) {
        GptConfig config = gpt.config();
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : gpt.getParameters()) {
            byName.put(Gpt2TensorNames.withoutChildNumbers(pair.getKey()), pair.getValue());
        }
        List<String> declared = GptTorchScript.parameterNames(config);
        if (!byName.keySet().equals(new java.util.HashSet<>(declared))) {
            throw new IllegalStateException("the model's parameters " + byName.keySet()
                    + " are not the ones the TorchScript source declares " + declared);
        }
        List<TorchScriptArchive.Tensor> tensors = new ArrayList<>();
        for (String name : declared) {
            NDArray array = byName.get(name).getArray();
            tensors.add(new TorchScriptArchive.Tensor(name, array.getShape().getShape(),
                    array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN)));
        }
        int context = config.contextLength();
        switch (config.positionalEncoding()) {
            case LEARNED -> { }
            case SINUSOIDAL -> tensors.add(table(GptTorchScript.SINUSOIDAL_TABLE, context, config.embeddingWidth(),
                    SinusoidalPositionalEncoding.tableValues(context, config.embeddingWidth())));
            case ROTARY -> {
                int headSize = config.headSize();
                tensors.add(table(GptTorchScript.ROTARY_COS, context, headSize / 2,
                        RotaryPositionalEncoding.tableValues(context, headSize, Math::cos)));
                tensors.add(table(GptTorchScript.ROTARY_SIN, context, headSize / 2,
                        RotaryPositionalEncoding.tableValues(context, headSize, Math::sin)));
            }
        }
        return tensors;
    }

    private static TorchScriptArchive.Tensor table(String name, int rows, int columns, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new TorchScriptArchive.Tensor(name, new long[] {rows, columns}, bytes);
    }
}
