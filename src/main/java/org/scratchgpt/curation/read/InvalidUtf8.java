package org.scratchgpt.curation.read;

/** What to do with a document whose bytes are not valid UTF-8 ({@code --invalid-utf8}). */
public enum InvalidUtf8 {
    /** Remove it: its text is probably in another encoding, and would be garbled. */
    DROP,
    /** Keep it with U+FFFD in place of each bad byte sequence: for a corpus with a few stray bytes. */
    REPAIR
}
