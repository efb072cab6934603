package org.scratchgpt.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes float32 tensors as a safetensors file, the layout {@link SafetensorsFile} reads: the header's length
 * (8 bytes, little-endian), the JSON header (padded with spaces to a multiple of 8 bytes, as the reference
 * writer does, so that every tensor starts aligned), then each tensor's float32 values, little-endian, in order.
 * Tensors are asked for their values one at a time, so that a large model is never held twice in memory.
 */
public final class SafetensorsWriter {

    /** A tensor to write: its name, shape and a way to get its row-major values when its turn comes. */
    public record Tensor(String name, long[] shape, ValueSource values) {}

    /** The values of one tensor, computed when written. */
    @FunctionalInterface
    public interface ValueSource {
        float[] get() throws IOException;
    }

    private SafetensorsWriter() {}

    /** Writes {@code tensors}, in this order, to {@code file}, with {"format": "pt"} as metadata. */
    public static void write(Path file, List<Tensor> tensors) throws IOException {
        byte[] header = header(tensors);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(out, length);
            writeFully(out, ByteBuffer.wrap(header));
            for (Tensor tensor : tensors) {
                float[] values = tensor.values().get();
                if (values.length != elements(tensor.shape())) {
                    throw new IllegalStateException("tensor " + tensor.name() + " has " + values.length
                            + " values for shape " + java.util.Arrays.toString(tensor.shape()));
                }
                ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(values);
                writeFully(out, data);
            }
        }
    }

    private static byte[] header(List<Tensor> tensors) {
        JsonObject json = new JsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("format", "pt"); // what HuggingFace's save_pretrained writes; transformers expects it
        json.add("__metadata__", metadata);
        long offset = 0;
        for (Tensor tensor : tensors) {
            long bytes = 4 * elements(tensor.shape());
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : tensor.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            entry.add("data_offsets", offsets);
            json.add(tensor.name(), entry);
            offset += bytes;
        }
        StringBuilder text = new StringBuilder(json.toString());
        while (text.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            text.append(' ');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
