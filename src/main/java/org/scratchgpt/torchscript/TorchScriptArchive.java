package org.scratchgpt.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module file, made here without Python. A file written by {@code torch.jit.save} is a zip
 * holding the module's code as (a subset of) Python source, which libtorch compiles when the file is loaded,
 * plus a pickle of the module object. A module with no weights needs only four small entries:
 * <pre>
 *   NAME/code/__torch__.py   the class, in TorchScript source
 *   NAME/data.pkl            the module object: an instance of __torch__.CLASS with {training: true}
 *   NAME/constants.pkl       the tensor constants the code uses: none, an empty tuple
 *   NAME/version             the file-format version
 * </pre>
 * A module with weights holds them as attributes of that object: {@code data.pkl} refers to one more entry per
 * tensor, {@code NAME/data/KEY}, holding its raw numbers (see {@link ModulePickle}), and the class declares them
 * in its {@code __parameters__} or {@code __buffers__}.
 *
 * <p>This is how ScratchGPT reaches the PyTorch operations that DJL 0.35.1 does not expose (bfloat16 arithmetic,
 * {@code scaled_dot_product_attention}): a few lines of TorchScript, loaded through DJL as any model is.
 */
public final class TorchScriptArchive {
    private TorchScriptArchive() {}

    /** Format 3 is what torch 1.x writes for such a module; libtorch 2.x still reads it. */
    private static final String FORMAT_VERSION = "3\n";

    /** The header every TorchScript class source starts with, then its {@code forward} method. */
    static String classSource(String className, String forwardMethod) {
        return "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + forwardMethod.indent(2);
    }

    /**
     * One float32 tensor stored in the module file, as the attribute {@code name} of the module object:
     * {@code shape}, and its numbers in row-major order as little-endian bytes.
     */
    public record Tensor(String name, long[] shape, ByteBuffer littleEndianFloats) {
        public Tensor {
            long elements = 1;
            for (long size : shape) {
                elements *= size;
            }
            if (littleEndianFloats.remaining() != elements * Float.BYTES) {
                throw new IllegalArgumentException(name + ": " + littleEndianFloats.remaining() + " bytes for "
                        + elements + " float32 numbers");
            }
        }

        long elementCount() {
            return littleEndianFloats.remaining() / Float.BYTES;
        }

        /** Row-major (contiguous) strides, in elements: the last axis moves by 1. */
        long[] strides() {
            long[] strides = new long[shape.length];
            long step = 1;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                strides[axis] = step;
                step *= shape[axis];
            }
            return strides;
        }
    }

    /** The bytes of a module file for the class {@code className}, whose TorchScript source is {@code source}. */
    public static byte[] of(String className, String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, className, source, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the module file of {@code className} (TorchScript {@code source}) whose object holds {@code tensors}
     * as attributes; the source must declare each of them. Each tensor's numbers go to an entry of their own,
     * {@code NAME/data/KEY}, streamed from its buffer: a model's weights are never copied into one large array.
     */
    public static void write(OutputStream destination, String className, String source, List<Tensor> tensors)
            throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(destination)) {
            String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
            stored(zip, root + "code/__torch__.py", ByteBuffer.wrap(source.getBytes(StandardCharsets.UTF_8)));
            stored(zip, root + "data.pkl", ByteBuffer.wrap(ModulePickle.of(className, tensors)));
            for (int key = 0; key < tensors.size(); key++) {
                stored(zip, root + "data/" + key, tensors.get(key).littleEndianFloats());
            }
            stored(zip, root + "constants.pkl", ByteBuffer.wrap(new byte[] {(byte) 0x80, 2, ')', '.'})); // ()
            stored(zip, root + "version", ByteBuffer.wrap(FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** An uncompressed entry, as torch writes them (it reads records in place). */
    private static void stored(ZipOutputStream zip, String name, ByteBuffer content) throws IOException {
        ByteBuffer bytes = content.duplicate();
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.remaining());
        CRC32 crc = new CRC32();
        crc.update(bytes.duplicate());
        entry.setCrc(crc.getValue());
        entry.setTime(315532800000L); // 1980-01-01, the zip epoch: the same source gives the same bytes
        zip.putNextEntry(entry);
        byte[] chunk = new byte[1 << 16];
        while (bytes.hasRemaining()) {
            int length = Math.min(chunk.length, bytes.remaining());
            bytes.get(chunk, 0, length);
            zip.write(chunk, 0, length);
        }
        zip.closeEntry();
    }
}
