package org.scratchgpt.curation.redact;

import java.util.regex.Pattern;

/**
 * Public IPv6 addresses: eight groups of up to four hex digits, a run of zero groups written "::" at most once, in
 * the global unicast range 2000::/3 and outside its documentation (2001:db8::/32) and special-purpose (2001::/23,
 * 6to4 2002::/16) blocks. What stays: loopback (::1), link-local (fe80::), unique local (fc00::/7), multicast,
 * times ("12:30:45" is no valid address) and C++ names ("std::move").
 */
final class Ipv6Addresses {
    private Ipv6Addresses() {}

    static PiiPattern pattern() {
        return new PiiPattern("ipv6", "<IP>",
                Pattern.compile("(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])"),
                Ipv6Addresses::isPublic,
                PiiPattern.wordStarts(c -> Character.digit(c, 16) >= 0 || c == ':'), ':');
    }

    static boolean isPublic(String text) {
        int[] groups = parse(text);
        if (groups == null) {
            return false;
        }
        int first = groups[0];
        boolean globalUnicast = first >= 0x2000 && first <= 0x3FFF;
        boolean documentation = first == 0x2001 && groups[1] == 0x0DB8;
        boolean specialPurpose = first == 0x2001 && groups[1] < 0x0200;
        boolean sixToFour = first == 0x2002;
        return globalUnicast && !documentation && !specialPurpose && !sixToFour;
    }

    /** The eight 16-bit groups of an address, or null when {@code text} is none. */
    static int[] parse(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null; // "::" twice would be ambiguous
        }
        String[] head = groupsOf(gap < 0 ? text : text.substring(0, gap));
        String[] tail = gap < 0 ? new String[0] : groupsOf(text.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int zeros = 8 - head.length - tail.length;
        if (gap < 0 ? zeros != 0 : zeros < 1) {
            return null;
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            groups[i] = Integer.parseInt(head[i], 16);
        }
        for (int i = 0; i < tail.length; i++) {
            groups[8 - tail.length + i] = Integer.parseInt(tail[i], 16);
        }
        return groups;
    }

    /** The groups of one side of "::", each one to four hex digits; null if one is empty. */
    private static String[] groupsOf(String side) {
        if (side.isEmpty()) {
            return new String[0];
        }
        String[] groups = side.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4) {
                return null;
            }
        }
        return groups;
    }
}
