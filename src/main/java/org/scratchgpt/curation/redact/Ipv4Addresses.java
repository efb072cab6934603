package org.scratchgpt.curation.redact;

import java.util.regex.Pattern;

/**
 * Public IPv4 addresses, as FineWeb redacts them: a dotted quad of numbers 0..255 that is globally routable. The
 * private and reserved ranges stay (10.0.0.1, 192.168.1.1, 127.0.0.1, documentation ranges such as 192.0.2.1, and
 * so on): they identify nobody, and tutorials are full of them. Not addresses: octets over 255, octets with a
 * leading zero (ambiguous, read as octal by some tools), and dotted runs of more or fewer than four numbers
 * (version numbers such as 1.2.3 or 1.2.3.4.5). A bare 1.2.3.4 IS a public address and is redacted, since text
 * cannot tell it from a version number; one prefixed by a letter (v1.2.3.4) is not matched, nor one joined by a
 * hyphen to a longer token: "libwebm-1.0.0.31-20-g206d268" is a package's version, and an address written in
 * running text stands on its own ("at 8.8.8.8.", "(8.8.8.8)", "8.8.8.8:53").
 */
final class Ipv4Addresses {
    /** The ranges that are not public (RFC 6890), as {first address, prefix length}. */
    private static final long[][] NOT_PUBLIC = {
        {address(0, 0, 0, 0), 8}, {address(10, 0, 0, 0), 8}, {address(100, 64, 0, 0), 10},
        {address(127, 0, 0, 0), 8}, {address(169, 254, 0, 0), 16}, {address(172, 16, 0, 0), 12},
        {address(192, 0, 0, 0), 24}, {address(192, 0, 2, 0), 24}, {address(192, 88, 99, 0), 24},
        {address(192, 168, 0, 0), 16}, {address(198, 18, 0, 0), 15}, {address(198, 51, 100, 0), 24},
        {address(203, 0, 113, 0), 24}, {address(224, 0, 0, 0), 4}, {address(240, 0, 0, 0), 4},
    };

    private Ipv4Addresses() {}

    static PiiPattern pattern() {
        return new PiiPattern("ipv4", "<IP>",
                Pattern.compile("(?<![\\w.])(?<![\\w.]-)\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?!\\w|\\.\\d|-[\\w.])"),
                Ipv4Addresses::isPublic,
                PiiPattern.wordStarts(Character::isDigit), '.');
    }

    static boolean isPublic(String dotted) {
        String[] parts = dotted.split("\\.");
        long value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false; // no address at all
            }
            value = value << 8 | octet;
        }
        for (long[] range : NOT_PUBLIC) {
            long mask = (0xFFFFFFFFL << (32 - range[1])) & 0xFFFFFFFFL;
            if ((value & mask) == range[0]) {
                return false;
            }
        }
        return true;
    }

    private static long address(int a, int b, int c, int d) {
        return (long) a << 24 | b << 16 | c << 8 | d;
    }
}
