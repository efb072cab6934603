package org.scratchgpt.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.Overwrite;

/**
 * The weights of a LoRA checkpoint: only the adapters' A and B, by name, bit for bit (a few hundred KB where the
 * base is hundreds of MB). Each array in DJL's own encoding (data type, shape, bytes).
 *
 * <pre>
 *   "ScratchGPT LoRA adapters, version 1"   count   then per matrix: name, encoded array
 * </pre>
 */
public final class AdapterFile {
    public static final String NAME = "adapters.bin";
    private static final String FORMAT = "ScratchGPT LoRA adapters, version 1";

    private AdapterFile() {}

    public static void write(Path file, Gpt gpt) throws IOException {
        Map<String, Parameter> adapters = LoraModel.adapterParameters(gpt);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeUTF(FORMAT);
            out.writeInt(adapters.size());
            for (Map.Entry<String, Parameter> entry : adapters.entrySet()) {
                byte[] bytes = entry.getValue().getArray().encode();
                out.writeUTF(entry.getKey());
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Replaces the adapters' values in {@code gpt} (initialised) with the file's; every adapter must be there. */
    public static void read(Path file, Gpt gpt) throws IOException {
        Map<String, Parameter> adapters = LoraModel.adapterParameters(gpt);
        Set<String> seen = new HashSet<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!FORMAT.equals(in.readUTF())) {
                throw damaged(file, "it does not start with '" + FORMAT + "'");
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                Parameter parameter = adapters.get(name);
                if (parameter == null) {
                    throw damaged(file, "it holds " + name + ", which this model's LoRA settings do not make");
                }
                NDArray weight = parameter.getArray();
                try (NDArray loaded = weight.getManager().decode(bytes)) {
                    if (!loaded.getShape().equals(weight.getShape())) {
                        throw damaged(file, name + " is shaped " + loaded.getShape() + ", not " + weight.getShape());
                    }
                    Overwrite.with(weight, loaded);
                }
                seen.add(name);
            }
        } catch (EOFException e) {
            throw damaged(file, "it is cut short");
        }
        if (!seen.equals(adapters.keySet())) {
            throw damaged(file, "it lacks some adapters of the model (" + adapters.size() + " expected, "
                    + seen.size() + " found)");
        }
    }

    private static UserError damaged(Path file, String why) {
        return new UserError("the LoRA adapters in " + file + " cannot be used: " + why
                + "; use the checkpoint folder the LoRA run wrote (e.g. its latest/ or best/)");
    }
}
