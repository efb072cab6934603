package org.scratchgpt.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;

/**
 * The one way ScratchGPT reads settings: a flat set of named fields, each held as text, whether it came
 * from a JSON file ({@code "n_layer": 4}) or from the command line ({@code n_layer=4}). Parsing both the same
 * way means a value means the same thing wherever it is written, and every error names the field.
 *
 * @param what what the fields describe, for messages ("model config", "training settings")
 * @param names every valid field name, in the order they are written
 */
public record ConfigFields(String what, List<String> names) {

    /** The fields of a JSON object; unknown names and non-scalar values are errors. */
    public Map<String, String> fromJsonObject(JsonObject json) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            requireKnown(entry.getKey(), what + " field");
            if (!entry.getValue().isJsonPrimitive()) {
                throw new UserError(what + " field " + entry.getKey() + " must be a number, true/false or a word, got "
                        + entry.getValue());
            }
            fields.put(entry.getKey(), entry.getValue().getAsString());
        }
        return fields;
    }

    /** The fields of a JSON text. */
    public Map<String, String> fromJson(String text) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new UserError(what + " is not valid JSON (" + JsonSyntax.describe(e) + "): fix the file or rewrite it from a preset", e);
        }
        if (!parsed.isJsonObject()) {
            String line = text.strip();
            throw new UserError(what + " must be a JSON object {\"" + names.get(0) + "\": ...}, got: "
                    + (line.length() <= 60 ? line : line.substring(0, 60) + "..."));
        }
        return fromJsonObject(parsed.getAsJsonObject());
    }

    /** {@code base} with {@code overrides} applied; an override of an unknown field is an error. */
    public Map<String, String> overridden(Map<String, String> base, Map<String, String> overrides) {
        Map<String, String> fields = new LinkedHashMap<>(base);
        overrides.forEach((name, value) -> {
            requireKnown(name, "override");
            fields.put(name, value);
        });
        return fields;
    }

    /** The fields of a JSON object holding every field (as written by a record's toJsonObject). */
    public Map<String, String> fromComplete(JsonObject json) {
        Map<String, String> fields = new LinkedHashMap<>();
        names.forEach(name -> fields.put(name, json.get(name).getAsString()));
        return fields;
    }

    /** Fails unless every field is present. */
    public void requireComplete(Map<String, String> fields) {
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(fields.keySet());
        if (!missing.isEmpty()) {
            throw new UserError(what + " lacks " + String.join(", ", missing) + ": a complete " + what + " names all of "
                    + String.join(", ", names));
        }
    }

    private void requireKnown(String name, String kind) {
        if (!names.contains(name)) {
            throw new UserError("unknown " + kind + " '" + name + "' (" + what + "): valid names are " + String.join(", ", names));
        }
    }

    /** A whole number that fits a Java {@code int}, as most fields are. */
    public static int wholeNumber(Map<String, String> fields, String name) {
        return (int) wholeNumberWithin(fields, name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A whole number that fits a Java {@code long}, for the seed. */
    public static long longWholeNumber(Map<String, String> fields, String name) {
        return wholeNumberWithin(fields, name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Parsed as a BigInteger first, so that a number too large for the field is told apart from text that is
     * no whole number at all (Integer.parseInt fails the same way on both).
     */
    private static long wholeNumberWithin(Map<String, String> fields, String name, long min, long max) {
        String text = fields.get(name).strip();
        BigInteger value;
        try {
            value = new BigInteger(text);
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a whole number, got '" + text + "': write it in digits, with no"
                    + " fraction or exponent");
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new UserError(name + " " + text + " is too large: at most " + max);
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new UserError(name + " " + text + " is too small: at least " + min);
        }
        return value.longValue();
    }

    /** A finite decimal number: Java also reads "Infinity", "NaN" and 1e999, which no setting can use. */
    public static double number(Map<String, String> fields, String name) {
        String text = fields.get(name).strip();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a number such as 0.1, got '" + text + "'");
        }
        if (!Double.isFinite(value)) {
            throw new UserError(name + " must be a finite number such as 0.1, got '" + text + "'");
        }
        return value;
    }

    // Boolean.parseBoolean would read any typo as false; only the two words are accepted.
    public static boolean trueOrFalse(Map<String, String> fields, String name) {
        String text = fields.get(name).strip();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new UserError(name + " must be true or false, got '" + text + "'");
    }

    public static void requirePositive(String name, double value) {
        if (!(value > 0)) {
            throw new UserError(name + " must be positive, got " + value);
        }
    }

    /** For whole-number fields, so that the message shows the number as it was written (0, not 0.0). */
    public static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new UserError(name + " must be at least 1, got " + value);
        }
    }
}
