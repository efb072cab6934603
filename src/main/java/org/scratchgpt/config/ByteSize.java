package org.scratchgpt.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scratchgpt.UserError;

/**
 * Amounts of memory as people write them: {@code 16GB}, {@code 512MB}, {@code 1.5GiB}. The units keep their
 * standard meanings: kB, MB, GB, TB are powers of 1000 (as disk and GPU makers count), KiB, MiB, GiB, TiB powers
 * of 1024 (as the kernel counts). A bare number is refused, since nobody can tell whether 16 means gigabytes.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");
    private static final Map<String, Long> UNITS = Map.of(
            "b", 1L,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L,
            "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40);
    private static final String EXAMPLES = "write a number and a unit, e.g. 16GB, 512MB or 1.5GiB";

    private ByteSize() {}

    /** The number of bytes {@code text} names, e.g. 16,000,000,000 for {@code 16GB}; any letter case. */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new UserError("memory size '" + text + "' is not a size: " + EXAMPLES);
        }
        Long unit = UNITS.get(matcher.group(2));
        if (unit == null) {
            String problem = matcher.group(2).isEmpty() ? "has no unit" : "has an unknown unit '" + matcher.group(2) + "'";
            throw new UserError("memory size '" + text + "' " + problem + ": " + EXAMPLES
                    + " (kB, MB, GB, TB count in 1000s; KiB, MiB, GiB, TiB in 1024s)");
        }
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.ONE) < 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new UserError("memory size '" + text + "' is outside 1 byte to 8 EB: " + EXAMPLES);
        }
        return bytes.longValue();
    }

    /**
     * {@code bytes} as a command-line argument that {@link #parse} reads back, e.g. {@code 22.9GB} or {@code 850MB}:
     * rounded down, so that a budget written this way never claims more memory than there is.
     */
    public static String argument(long bytes) {
        return bytes < 1_000_000_000L
                ? Math.max(1, bytes / 1_000_000) + "MB"
                : String.format(Locale.ROOT, "%.1fGB", Math.floor(bytes / 1e8) / 10);
    }

    /** {@code bytes} for reading: MB below a gigabyte, GB from there, one decimal (1000s, like {@link #parse}'s GB). */
    public static String format(double bytes) {
        return bytes < 1e9
                ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
