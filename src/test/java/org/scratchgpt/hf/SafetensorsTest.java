package org.scratchgpt.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

/** The safetensors reader and writer: a round trip, the three weight dtypes, and every way a header can lie. */
class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void writtenTensorsReadBackBitForBit() throws IOException {
        float[] a = {1.5f, -0f, Float.MIN_VALUE, Float.NaN, 3.4e38f, -2f};
        float[] b = {0.1f, 0.2f};
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, List.of(
                new SafetensorsWriter.Tensor("a", new long[] {2, 3}, () -> a),
                new SafetensorsWriter.Tensor("b", new long[] {2}, () -> b)));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the header is padded so that the data starts 8-byte aligned");
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b"), read.names());
            assertArrayEquals(new long[] {2, 3}, read.entry("a").shape());
            assertEquals("F32", read.entry("a").dtype());
            assertArrayEquals(bits(a), bits(read.floats("a")));
            assertArrayEquals(bits(b), bits(read.floats("b")));
        }
    }

    /**
     * A tensor that starts past 2 GiB (as in gpt2-large and gpt2-xl) reads: a sparse file, 2.2 GB long but
     * taking no disk, holds 2.2e9 bytes of padding and then four floats.
     */
    @Test
    void tensorsPastTwoGibibytesRead() throws IOException {
        long padding = 2_200_000_000L;
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + padding + "],\"data_offsets\":[0," + padding + "]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + padding + "," + (padding + 16) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        try (var out = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            out.write(ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).flip());
            ByteBuffer floats = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            floats.asFloatBuffer().put(new float[] {1f, -2f, 3.5f, 1e-3f});
            out.write(floats, 8 + json.length + padding);
        }
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1f, -2f, 3.5f, 1e-3f}, read.floats("w"));
        }
    }

    @Test
    void halfAndBfloat16BecomeFloat32Exactly() throws IOException {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 (largest) = 0x7BFF, 2^-24 (smallest subnormal) = 0x0001
        // BF16: the top 16 bits of a float32: 1.0 = 0x3F80, -0.15625 = 0xBE20
        Path file = raw("{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},\"__metadata__\":{\"format\":\"pt\"}}",
                shorts(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3F80, 0xBE20));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, read.floats("h"));
            assertArrayEquals(new float[] {1f, -0.15625f}, read.floats("b"));
        }
    }

    @Test
    void nonWeightDtypeIsNamed() throws IOException {
        Path file = raw("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertError("tensor ids in " + file + " has dtype I64, which holds no model weights", () -> read.floats("ids"));
        }
    }

    @Test
    void everyLyingHeaderIsNamed() throws IOException {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertOpenFails("fewer than the 8", new byte[5]);
        assertOpenFails("header of 1000 bytes, but the file has", withLength(1000, "{}"));
        assertOpenFails("header of 18446744073709551615 bytes", withLength(-1, "{}"));
        assertOpenFails("not valid JSON", rawBytes("{\"w\":", new byte[0]));
        assertOpenFails("not a JSON object", rawBytes("[1,2]", new byte[0]));
        assertOpenFails("tensor w is not described by a JSON object", rawBytes("{\"w\":3}", new byte[0]));
        assertOpenFails("tensor w has no dtype", rawBytes(ok.replace("\"dtype\":\"F32\",", ""), new byte[8]));
        assertOpenFails("tensor w has dtype 'F33', which safetensors does not define",
                rawBytes(ok.replace("F32", "F33"), new byte[8]));
        assertOpenFails("tensor w has no shape", rawBytes(ok.replace("\"shape\":[2],", ""), new byte[8]));
        assertOpenFails("tensor w has a negative number in shape", rawBytes(ok.replace("[2]", "[-2]"), new byte[8]));
        assertOpenFails("tensor w has shape [2.5", rawBytes(ok.replace("[2]", "[2.5]"), new byte[8]));
        assertOpenFails("too large for any file",
                rawBytes(ok.replace("[2]", "[4294967296,4294967296]"), new byte[8]));
        assertOpenFails("tensor w has no data_offsets of 2 numbers", rawBytes(ok.replace("[0,8]", "[0]"), new byte[8]));
        assertOpenFails("end before they begin", rawBytes(ok.replace("[0,8]", "[8,0]"), new byte[8]));
        // the shape says 2 floats (8 bytes), the offsets 3 floats
        assertOpenFails("which is 8 bytes, but its data_offsets [0, 12] hold 12",
                rawBytes(ok.replace("[0,8]", "[0,12]"), new byte[12]));
        // the dtype says 2 bytes an element: 4 bytes, not 8
        assertOpenFails("of F16, which is 4 bytes", rawBytes(ok.replace("F32", "F16"), new byte[8]));
        // a truncated download: the header promises 8 bytes, the file has 5
        assertOpenFails("beyond the 5 bytes of data in the file: the file is truncated", rawBytes(ok, new byte[5]));
        assertOpenFails("bytes no tensor owns", rawBytes(ok, new byte[12]));
        String two = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%s]}}";
        assertOpenFails("tensor v starts at data offset 12 but the previous tensor ends at 8",
                rawBytes(String.format(two, "12,16"), new byte[16]));
        assertOpenFails("tensor v starts at data offset 4 but the previous tensor ends at 8",
                rawBytes(String.format(two, "4,8"), new byte[8]));
    }

    // ---------------------------------------------------------------- helpers

    private void assertOpenFails(String expected, byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(file, content);
        assertError(expected, () -> SafetensorsFile.open(file).close());
    }

    private static void assertError(String expected, org.junit.jupiter.api.function.Executable action) {
        UserError error = assertThrows(UserError.class, action);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    private Path raw(String header, byte[] data) throws IOException {
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, rawBytes(header, data));
        return file;
    }

    /** A safetensors file by hand: the header's length, the header, the data. */
    private static byte[] rawBytes(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    private static byte[] withLength(long claimed, String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(claimed).put(json).array();
    }

    private static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.array();
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
