package org.scratchgpt.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * This is how ScratchGPT reaches the PyTorch operations that DJL 0.35.1 does not expose (bfloat16 arithmetic,
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

    /** The bytes of a module file for the class {@code className}, whose TorchScript source is {@code source}. */
    public static byte[] of(String className, String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
            stored(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "data.pkl", moduleObjectPickle(className));
            stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // protocol 2; (); stop
            stored(zip, root + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Python's pickle (protocol 2) of {@code __torch__.CLASS()} with its one attribute, {@code training = True}:
     * the same opcodes {@code torch.jit.save} writes, without the optional memo entries.
     */
    static byte[] moduleObjectPickle(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 2});                                    // PROTO 2
        out.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL the class
        out.writeBytes(new byte[] {')', (byte) 0x81});                                  // EMPTY_TUPLE, NEWOBJ
        out.writeBytes(new byte[] {'}', '('});                                          // EMPTY_DICT, MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X');                                                                 // BINUNICODE, length
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key.length).array());
        out.writeBytes(key);
        out.writeBytes(new byte[] {(byte) 0x88, 'u', 'b', '.'});                        // True, SETITEMS, BUILD, STOP
        return out.toByteArray();
    }

    /** An uncompressed entry, as torch writes them (it reads records in place). */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTime(315532800000L); // 1980-01-01, the zip epoch: the same source gives the same bytes
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
