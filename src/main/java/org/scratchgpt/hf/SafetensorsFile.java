package org.scratchgpt.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;

/**
 * A safetensors file, read as the format's specification says: 8 bytes holding N, the header's length (an
 * unsigned little-endian 64-bit number); N bytes of JSON mapping each tensor's name to its {@code dtype},
 * {@code shape} and {@code data_offsets} [begin, end) within the data that follows; then the raw little-endian
 * data, every byte belonging to exactly one tensor.
 *
 * <p>Why not DJL's {@code NDList.decode}: it reads the whole file into one Java array, and a Java array holds at
 * most 2 GiB, less than gpt2-large (3.1 GB) or gpt2-xl (6.4 GB). Here only the header is read on opening, and
 * each tensor is memory-mapped on its own when asked for: a file of any size works as long as each tensor is
 * under 2 GiB (gpt2-xl's largest, the token embedding, is 321 MB).
 *
 * <p>The header is checked whole before any tensor is read, so that a file that lies (a truncated download, an
 * offset past the end, a shape that does not fit its bytes) is named with the tensor and the field at fault
 * instead of failing later as a crash or as silently wrong weights.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** A header of more than this is not a model's (GPT-2 XL's is 60 kB); the format's own reader has 100 MB. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    /** One tensor's entry in the header. {@code begin} and {@code end} are offsets into the data section. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public String shapeText() {
            return java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')');
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
    }

    /** Opens {@code file} and checks its header; no tensor data is read yet. */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new UserError(file + " is not a safetensors file: it has " + size + " bytes, fewer than the 8 that"
                        + " give the header's length (a truncated download?)");
            }
            long headerLength = readFully(channel, 0, 8).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw new UserError(file + " is not a valid safetensors file: its first 8 bytes give a header of "
                        + Long.toUnsignedString(headerLength) + " bytes, but the file has " + size
                        + " (a truncated download, or not a safetensors file)");
            }
            String header = StandardCharsets.UTF_8.decode(readFully(channel, 8, (int) headerLength)).toString();
            long dataLength = size - 8 - headerLength;
            Map<String, Entry> entries = parseHeader(file, header, dataLength);
            return new SafetensorsFile(file, channel, 8 + headerLength, entries);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Tensor names in the order of their data. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new UserError(file + " has no tensor " + name);
        }
        return entry;
    }

    /** The tensor's elements as float32, row-major, converting F16 and BF16 exactly. */
    public float[] floats(String name) throws IOException {
        Entry entry = entry(name);
        if (entry.elements() > Integer.MAX_VALUE - 8) {
            throw new UserError("tensor " + name + " in " + file + " has " + entry.elements()
                    + " elements, more than one Java array holds");
        }
        if (!SafetensorsDtype.isFloatWeight(entry.dtype())) {
            throw new UserError("tensor " + name + " in " + file + " has dtype " + entry.dtype()
                    + ", which holds no model weights: ScratchGPT reads F32, F16 and BF16");
        }
        // One mapping per tensor: its position is a long, so tensors beyond 2 GiB into the file map as well.
        ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), entry.end() - entry.begin())
                .order(ByteOrder.LITTLE_ENDIAN);
        return SafetensorsDtype.toFloats(entry.dtype(), data, (int) entry.elements(), name);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ---------------------------------------------------------------- the header

    private static Map<String, Entry> parseHeader(Path file, String header, long dataLength) {
        JsonElement json;
        try {
            json = JsonParser.parseString(header);
        } catch (JsonParseException e) {
            throw new UserError(file + " has a safetensors header that is not valid JSON: the file is damaged", e);
        }
        if (!json.isJsonObject()) {
            throw new UserError(file + " has a safetensors header that is not a JSON object: the file is damaged");
        }
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<String, JsonElement> field : json.getAsJsonObject().entrySet()) {
            if (!field.getKey().equals("__metadata__")) { // free-form text the writer adds, e.g. {"format": "pt"}
                list.add(entryOf(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        // The data must be covered exactly, tensor after tensor: a gap or an overlap means the header lies.
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Entry entry : list) {
            if (entry.begin() != expectedBegin) {
                throw new UserError(file + ": tensor " + entry.name() + " starts at data offset " + entry.begin()
                        + " but the previous tensor ends at " + expectedBegin + " (tensors must follow each other without"
                        + " gaps or overlaps): the header is damaged");
            }
            expectedBegin = entry.end();
            entries.put(entry.name(), entry);
        }
        if (expectedBegin != dataLength) {
            throw new UserError(file + ": the tensors' data ends at offset " + expectedBegin + " but the file holds "
                    + dataLength + " bytes of data after the header: the file is truncated or has bytes no tensor owns");
        }
        return entries;
    }

    private static Entry entryOf(Path file, String name, JsonElement value, long dataLength) {
        String where = file + ": tensor " + name;
        if (!value.isJsonObject()) {
            throw new UserError(where + " is not described by a JSON object: the header is damaged");
        }
        JsonObject fields = value.getAsJsonObject();
        String dtype = textField(where, fields, "dtype");
        if (!SafetensorsDtype.isKnown(dtype)) {
            throw new UserError(where + " has dtype '" + dtype + "', which safetensors does not define: the header is"
                    + " damaged");
        }
        long[] shape = numbers(where, fields, "shape", -1);
        long[] offsets = numbers(where, fields, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new UserError(where + " has data_offsets [" + begin + ", " + end + "], which end before they begin");
        }
        if (end > dataLength) {
            throw new UserError(where + " has data_offsets [" + begin + ", " + end + "] beyond the " + dataLength
                    + " bytes of data in the file: the file is truncated (download it again)");
        }
        long bytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, SafetensorsDtype.bytesOf(dtype));
        } catch (ArithmeticException e) {
            throw new UserError(where + " has shape " + java.util.Arrays.toString(shape) + ", too large for any file:"
                    + " the header is damaged");
        }
        if (end - begin != bytes) {
            throw new UserError(where + " has shape " + java.util.Arrays.toString(shape) + " of " + dtype + ", which is "
                    + bytes + " bytes, but its data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + ": the header is damaged");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static String textField(String where, JsonObject fields, String field) {
        JsonElement value = fields.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new UserError(where + " has no " + field + " text in its header entry: the header is damaged");
        }
        return value.getAsString();
    }

    /** A JSON array of non-negative whole numbers; {@code length} -1 for any length. */
    private static long[] numbers(String where, JsonObject fields, String field, int length) {
        JsonElement value = fields.get(field);
        if (value == null || !value.isJsonArray() || (length >= 0 && value.getAsJsonArray().size() != length)) {
            throw new UserError(where + " has no " + field + (length >= 0 ? " of " + length + " numbers" : " list")
                    + " in its header entry: the header is damaged");
        }
        JsonArray array = value.getAsJsonArray();
        long[] numbers = new long[array.size()];
        for (int i = 0; i < numbers.length; i++) {
            JsonElement element = array.get(i);
            try {
                if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
                    throw new NumberFormatException();
                }
                numbers[i] = element.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new UserError(where + " has " + field + " " + array + ", which is not a list of whole numbers:"
                        + " the header is damaged");
            }
            if (numbers[i] < 0) {
                throw new UserError(where + " has a negative number in " + field + " " + array + ": the header is damaged");
            }
        }
        return numbers;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new java.io.EOFException("end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
