package org.scratchgpt.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchgpt.UserError;
import org.scratchgpt.config.JsonSyntax;

/**
 * Reads conversations from a JSON-lines file in the common chat format, one conversation per line:
 * <pre>{"messages": [{"role": "system", "content": "..."}, {"role": "user", "content": "..."},
 *  {"role": "assistant", "content": "..."}, ...]}</pre>
 * A system message may only come first; every conversation needs an assistant message, since the assistant's
 * words are all the loss learns from. Blank lines are skipped and other fields are ignored. A bad line is an
 * error naming the file, the line and what is wrong with it, before any training.
 */
public final class ConversationFile {
    private ConversationFile() {}

    public static List<Conversation> read(Path file) throws IOException {
        List<Conversation> conversations = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            for (int number = 1; (line = reader.readLine()) != null; number++) {
                if (!line.isBlank()) {
                    conversations.add(parse(line, file + " line " + number));
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError("conversation file " + file + " not found: give a .jsonl file with one"
                    + " {\"messages\": [...]} object per line");
        } catch (CharacterCodingException e) {
            throw new UserError(file + " is not UTF-8 text: save the conversations as UTF-8 JSON lines", e);
        }
        if (conversations.isEmpty()) {
            throw new UserError(file + " holds no conversation: write one {\"messages\": [...]} object per line");
        }
        return conversations;
    }

    /** One line's conversation; {@code where} ("FILE line N") starts every error message. */
    static Conversation parse(String line, String where) {
        JsonElement json;
        try {
            json = JsonParser.parseString(line);
        } catch (JsonParseException e) {
            throw new UserError(where + " is not valid JSON (" + JsonSyntax.describe(e) + "): write each conversation"
                    + " as one JSON object on one line", e);
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("messages")
                || !json.getAsJsonObject().get("messages").isJsonArray()) {
            throw new UserError(where + " has no \"messages\" list: write {\"messages\": [{\"role\": \"user\","
                    + " \"content\": \"...\"}, {\"role\": \"assistant\", \"content\": \"...\"}]}");
        }
        List<Message> messages = new ArrayList<>();
        for (JsonElement element : json.getAsJsonObject().getAsJsonArray("messages")) {
            messages.add(message(element, where + ", message " + (messages.size() + 1)));
        }
        checkOrder(messages, where);
        return new Conversation(messages, where);
    }

    private static Message message(JsonElement element, String where) {
        if (!element.isJsonObject()) {
            throw new UserError(where + " is not an object: write {\"role\": \"user\", \"content\": \"...\"}");
        }
        JsonObject object = element.getAsJsonObject();
        String roleName = text(object, "role", where);
        Role role = Role.ofJsonName(roleName);
        if (role == null) {
            throw new UserError(where + " has the role \"" + roleName + "\": use \"system\", \"user\" or \"assistant\"");
        }
        return new Message(role, text(object, "content", where));
    }

    private static String text(JsonObject object, String field, String where) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new UserError(where + " has no \"" + field + "\" string: every message needs \"role\" and"
                    + " \"content\" strings");
        }
        return value.getAsString();
    }

    private static void checkOrder(List<Message> messages, String where) {
        for (int i = 1; i < messages.size(); i++) {
            if (messages.get(i).role() == Role.SYSTEM) {
                throw new UserError(where + ", message " + (i + 1) + " is a system message after the start: a system"
                        + " message may only come first");
            }
        }
        if (messages.stream().noneMatch(m -> m.role() == Role.ASSISTANT)) {
            throw new UserError(where + " has no assistant message: the loss learns from the assistant's answers"
                    + " only, so add one or drop the line");
        }
    }
}
