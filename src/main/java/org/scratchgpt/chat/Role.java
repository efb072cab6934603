package org.scratchgpt.chat;

import java.util.Locale;

/** Who speaks in a conversation; each role opens its turns with a special token of its own. */
public enum Role {
    SYSTEM("<|system|>"),
    USER("<|user|>"),
    ASSISTANT("<|assistant|>");

    private final String token;

    Role(String token) {
        this.token = token;
    }

    /** The special token that opens a turn of this role, e.g. {@code <|user|>}. */
    public String token() {
        return token;
    }

    /** The name in the JSON format: "system", "user" or "assistant". */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a JSON name, or null when there is none of that name. */
    static Role ofJsonName(String name) {
        for (Role role : values()) {
            if (role.jsonName().equals(name)) {
                return role;
            }
        }
        return null;
    }
}
