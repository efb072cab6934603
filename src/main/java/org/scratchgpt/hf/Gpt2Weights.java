package org.scratchgpt.hf;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.scratchgpt.UserError;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Overwrite;

/**
 * Moves GPT-2's weights between a HuggingFace safetensors file and a ScratchGPT model, tensor by tensor, with
 * the names of {@link Gpt2TensorNames}. Every shape is checked before a value is copied, so a file of another
 * size names the tensor at fault instead of loading half a model.
 */
public final class Gpt2Weights {

    /** The prefix {@code save_pretrained} of {@code GPT2LMHeadModel} puts before every tensor of the GPT itself. */
    private static final String SAVE_PRETRAINED_PREFIX = "transformer.";

    private Gpt2Weights() {}

    /** Copies every tensor of {@code file} into {@code model} (a GPT of {@code config}, initialised). */
    public static void load(SafetensorsFile file, Path path, Block model, GptConfig config) throws IOException {
        Map<String, Parameter> parameters = parametersByName(model);
        Map<String, String> stored = storedNames(file, path, config);
        for (Gpt2TensorNames.Mapping mapping : Gpt2TensorNames.of(config)) {
            String name = stored.get(mapping.hfName());
            if (name == null) {
                throw new UserError(path + " has no tensor " + mapping.hfName() + " (nor " + SAVE_PRETRAINED_PREFIX
                        + mapping.hfName() + "), which a GPT-2 of " + config.layers() + " layers has: the file is"
                        + " incomplete or belongs to another model");
            }
            Parameter parameter = parameters.get(mapping.scratchName());
            long[] target = parameter.getArray().getShape().getShape();            // (out, in) for a Linear
            long[] expected = mapping.transposed() ? new long[] {target[1], target[0]} : target; // Conv1D: (in, out)
            SafetensorsFile.Entry entry = file.entry(name);
            if (!java.util.Arrays.equals(entry.shape(), expected)) {
                throw new UserError(path + ": tensor " + name + " has shape " + entry.shapeText() + ", but config.json's"
                        + " GPT-2 needs " + new Shape(expected) + ": the weights do not belong to this config.json");
            }
            float[] values = file.floats(name);
            if (mapping.transposed()) {
                values = transpose(values, (int) expected[0], (int) expected[1]);       // (in, out) -> (out, in)
            }
            Overwrite.with(parameter.getArray(), values);
        }
    }

    /** The model's weights as HuggingFace's GPT2LMHeadModel stores them: original names, Conv1D weights (in, out). */
    public static List<SafetensorsWriter.Tensor> tensors(Block model, GptConfig config) {
        Map<String, Parameter> parameters = parametersByName(model);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (Gpt2TensorNames.Mapping mapping : Gpt2TensorNames.of(config)) {
            Parameter parameter = parameters.get(mapping.scratchName());
            if (parameter == null) {
                tensors.add(standIn(mapping, parameters, config));
                continue;
            }
            long[] shape = parameter.getArray().getShape().getShape();             // (out, in) for a Linear
            if (mapping.transposed()) {
                long[] conv1d = {shape[1], shape[0]};                                  // Conv1D: (in, out)
                tensors.add(new SafetensorsWriter.Tensor(mapping.hfName(), conv1d,
                        () -> transpose(parameter.getArray().toFloatArray(), (int) shape[0], (int) shape[1])));
            } else {
                tensors.add(new SafetensorsWriter.Tensor(mapping.hfName(), shape, () -> parameter.getArray().toFloatArray()));
            }
        }
        return tensors;
    }

    /**
     * A tensor GPT-2's layout has and the model leaves out (see {@link StandInTensors}): a bias as long as its
     * layer's output (the first axis of the weight beside it), or the sinusoidal position table.
     */
    private static SafetensorsWriter.Tensor standIn(Gpt2TensorNames.Mapping mapping, Map<String, Parameter> parameters,
            GptConfig config) {
        long[] shape;
        if (mapping.hfName().endsWith(".bias")) {
            Parameter weight = parameters.get(mapping.scratchName().replaceFirst("_bias$", "_weight"));
            shape = new long[] {weight.getArray().getShape().get(0)};    // one per output: the weight is (out, in)
        } else {
            shape = new long[] {config.contextLength(), config.embeddingWidth()}; // wpe: (context_length, C)
        }
        long length = new Shape(shape).size();
        return new SafetensorsWriter.Tensor(mapping.hfName(), shape,
                () -> StandInTensors.values(mapping.hfName(), length, config));
    }

    /**
     * The stored name of each GPT-2 tensor, by its original-layout name: the file may use either layout. Names that
     * are neither a tensor of this GPT-2 nor a known buffer are an error, so that nothing is silently dropped.
     */
    private static Map<String, String> storedNames(SafetensorsFile file, Path path, GptConfig config) {
        Set<String> wanted = new TreeSet<>();
        Gpt2TensorNames.of(config).forEach(m -> wanted.add(m.hfName()));
        Map<String, String> stored = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String name : file.names()) {
            String original = name.startsWith(SAVE_PRETRAINED_PREFIX) ? name.substring(SAVE_PRETRAINED_PREFIX.length()) : name;
            if (wanted.contains(original)) {
                stored.put(original, name);
            } else if (Gpt2TensorNames.isBuffer(original)) {
                continue; // the causal mask, rebuilt by the model itself
            } else if (original.equals(Gpt2TensorNames.LM_HEAD) && config.tiedEmbeddings()) {
                continue; // with tied embeddings HuggingFace itself uses wte as the head and ignores this copy
            } else {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UserError(path + " holds tensors a GPT-2 of " + config.layers() + " layers does not have: "
                    + String.join(", ", unknown.subList(0, Math.min(5, unknown.size())))
                    + (unknown.size() > 5 ? " and " + (unknown.size() - 5) + " more" : "")
                    + ": the file belongs to another model, or config.json to another size");
        }
        return stored;
    }

    private static Map<String, Parameter> parametersByName(Block model) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            byName.put(Gpt2TensorNames.withoutChildNumbers(p.getKey()), p.getValue());
        }
        return byName;
    }

    /** A (rows, columns) row-major matrix as (columns, rows). */
    static float[] transpose(float[] values, int rows, int columns) {
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = values[r * columns + c];
            }
        }
        return transposed;
    }
}
