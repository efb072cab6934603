package org.scratchgpt.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code data.pkl} of a TorchScript module file: Python's pickle (protocol 2) of the module object,
 * {@code __torch__.CLASS()} with its attributes set by BUILD from a dict: {@code training = True} and one tensor
 * per weight. It writes only the opcodes {@code torch.jit.save} writes and libtorch's unpickler reads
 * (torch/csrc/jit/serialization/unpickler.cpp), without the optional memo entries.
 *
 * <p>A tensor is pickled as torch pickles one: a call
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())}, whose
 * storage is a persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}: the loader reads the
 * numbers themselves from the archive's entry {@code data/KEY}, raw little-endian float32s. The key is the
 * tensor's index in the list.
 */
final class ModulePickle {

    // Pickle opcodes (Python's Lib/pickletools.py names them).
    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int BINUNICODE = 'X';
    private static final int BININT = 'J';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int TUPLE = 't';
    private static final int BINPERSID = 'Q';
    private static final int REDUCE = 'R';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int STOP = '.';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ModulePickle() {}

    /** The pickle of a {@code __torch__.CLASS} object whose attributes are {@code training} and {@code tensors}. */
    static byte[] of(String className, List<TorchScriptArchive.Tensor> tensors) {
        ModulePickle pickle = new ModulePickle();
        pickle.op(PROTO).op(2);
        pickle.global("__torch__", className).op(EMPTY_TUPLE).op(NEWOBJ);       // the object, attributes unset
        pickle.op(EMPTY_DICT).op(MARK);                                          // its attributes: key, value...
        pickle.string("training").op(NEWTRUE);
        for (int key = 0; key < tensors.size(); key++) {
            pickle.string(tensors.get(key).name()).tensor(tensors.get(key), key);
        }
        pickle.op(SETITEMS).op(BUILD).op(STOP);                                  // dict filled, set on the object
        return pickle.out.toByteArray();
    }

    /** _rebuild_tensor_v2(storage, 0, size, contiguous stride, False, OrderedDict()), storage entry data/KEY. */
    private ModulePickle tensor(TorchScriptArchive.Tensor tensor, int key) {
        global("torch._utils", "_rebuild_tensor_v2").op(MARK);
        op(MARK).string("storage").global("torch", "FloatStorage")             // the persistent id tuple
                .string(Integer.toString(key)).string("cpu").integer(tensor.elementCount()).op(TUPLE)
                .op(BINPERSID);
        integer(0);                                                              // storage offset
        op(MARK);
        for (long size : tensor.shape()) {
            integer(size);
        }
        op(TUPLE).op(MARK);
        for (long stride : tensor.strides()) {
            integer(stride);
        }
        op(TUPLE).op(NEWFALSE);                                                  // requires_grad: as a saved model
        global("collections", "OrderedDict").op(EMPTY_TUPLE).op(REDUCE);         // no backward hooks
        return op(TUPLE).op(REDUCE);
    }

    private ModulePickle op(int opcode) {
        out.write(opcode);
        return this;
    }

    private ModulePickle global(String module, String name) {
        op(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private ModulePickle string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        op(BINUNICODE).int32(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    /** BININT holds a signed 32-bit integer; a tensor larger than that would need another opcode. */
    private ModulePickle integer(long value) {
        return op(BININT).int32(Math.toIntExact(value));
    }

    private ModulePickle int32(int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        return this;
    }
}
