package org.scratchgpt.hf;

import java.nio.ByteBuffer;
import java.util.Map;
import org.scratchgpt.UserError;

/**
 * The element types a safetensors header can name, with their sizes in bytes, and the conversion to float32 of
 * the three that hold model weights (F32, F16, BF16). Knowing every size lets the reader check each tensor's
 * byte range against its shape even for a type it will not convert.
 */
final class SafetensorsDtype {

    private static final Map<String, Integer> BYTES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1), Map.entry("I64", 8), Map.entry("I32", 4),
            Map.entry("I16", 2), Map.entry("I8", 1), Map.entry("U64", 8), Map.entry("U32", 4), Map.entry("U16", 2),
            Map.entry("U8", 1), Map.entry("BOOL", 1));

    private SafetensorsDtype() {}

    static boolean isKnown(String dtype) {
        return BYTES.containsKey(dtype);
    }

    static int bytesOf(String dtype) {
        return BYTES.get(dtype);
    }

    /** Whether {@link #toFloats} converts this type. */
    static boolean isFloatWeight(String dtype) {
        return dtype.equals("F32") || dtype.equals("F16") || dtype.equals("BF16");
    }

    /** The little-endian elements of {@code data} (positioned at the tensor's first byte) as float32. */
    static float[] toFloats(String dtype, ByteBuffer data, int count, String tensor) {
        float[] values = new float[count];
        switch (dtype) {
            case "F32" -> data.asFloatBuffer().get(values);
            // bfloat16 is the top half of a float32: shifting its 16 bits up gives the same number exactly.
            case "BF16" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Float.intBitsToFloat((data.getShort(data.position() + 2 * i) & 0xFFFF) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = halfToFloat(data.getShort(data.position() + 2 * i));
                }
            }
            default -> throw new UserError("tensor " + tensor + " has dtype " + dtype + ", which holds no model"
                    + " weights: ScratchGPT reads F32, F16 and BF16");
        }
        return values;
    }

    /** IEEE half precision to float32, exactly (every half value is a float32 value). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits >>> 15) << 31;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {                                   // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {                                      // zero or subnormal: mantissa * 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
