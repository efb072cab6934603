package org.scratchgpt.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchgpt.UserError;
import org.scratchgpt.config.JsonSyntax;

/**
 * A checkpoint's JSON file, read field by field: a field that is missing or of the wrong kind is an error that
 * names the file and the field ("state.json: step must be a whole number, got \"ten\""), instead of a
 * NullPointerException or ClassCastException from deep inside the JSON library.
 */
record JsonFile(Path file, JsonObject json) {

    static JsonFile read(Path file) throws IOException {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw damaged(file, "it is not valid JSON (" + JsonSyntax.describe(e) + ")");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw damaged(file, "it is not UTF-8 text");
        }
        if (!root.isJsonObject()) {
            throw damaged(file, "it must hold a JSON object {...}");
        }
        return new JsonFile(file, root.getAsJsonObject());
    }

    boolean has(String name) {
        return json.has(name) && !json.get(name).isJsonNull();
    }

    /** A nested object, such as config.json's "model". */
    JsonObject object(String name) {
        JsonElement value = present(name);
        if (!value.isJsonObject()) {
            throw wrong(name, "an object {...}", value);
        }
        return value.getAsJsonObject();
    }

    long wholeNumber(String name) {
        JsonPrimitive value = primitive(name, "a whole number");
        try {
            return value.getAsBigDecimal().longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw wrong(name, "a whole number", value);
        }
    }

    double number(String name) {
        JsonPrimitive value = primitive(name, "a number");
        // Infinity is a legitimate best val loss before the first evaluation; Gson writes it as a bare word.
        String text = value.getAsString();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw wrong(name, "a number", value);
        }
    }

    String text(String name) {
        JsonPrimitive value = primitive(name, "a string");
        if (!value.isString()) {
            throw wrong(name, "a string", value);
        }
        return value.getAsString();
    }

    boolean trueOrFalse(String name) {
        JsonPrimitive value = primitive(name, "true or false");
        if (!value.isBoolean()) {
            throw wrong(name, "true or false", value);
        }
        return value.getAsBoolean();
    }

    private JsonPrimitive primitive(String name, String kind) {
        JsonElement value = present(name);
        if (!value.isJsonPrimitive()) {
            throw wrong(name, kind, value);
        }
        return value.getAsJsonPrimitive();
    }

    private JsonElement present(String name) {
        if (!has(name)) {
            throw damaged(file, "the field \"" + name + "\" is missing");
        }
        return json.get(name);
    }

    private UserError wrong(String name, String kind, JsonElement value) {
        String shown = value.toString();
        return damaged(file, "\"" + name + "\" must be " + kind + ", got "
                + (shown.length() <= 40 ? shown : shown.substring(0, 40) + "..."));
    }

    private static UserError damaged(Path file, String why) {
        return new UserError(file + " is damaged: " + why + "; it was changed after ScratchGPT wrote it, so use another"
                + " checkpoint (best/ or latest/)");
    }
}
