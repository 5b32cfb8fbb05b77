package io.perkamo.schemas.input;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/** Strict reads of our own JSON shapes back into records; a malformed value is a bug, so it throws. */
final class JsonRead {

    private JsonRead() {
    }

    static JsonNode required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    static String text(JsonNode node, String name) {
        JsonNode value = required(node, name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return value.textValue();
    }

    /** The string or null when absent or null. */
    static String optionalText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : text(node, name);
    }

    static long longValue(JsonNode node, String name) {
        JsonNode value = required(node, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return value.longValue();
    }

    static Long optionalLong(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : longValue(node, name);
    }

    static int intValue(JsonNode node, String name) {
        long value = longValue(node, name);
        if (value != (int) value) {
            throw new IllegalArgumentException(name + " is out of int range");
        }
        return (int) value;
    }

    static Integer optionalInt(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : intValue(node, name);
    }

    static boolean bool(JsonNode node, String name, boolean fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(name + " must be a boolean");
        }
        return value.booleanValue();
    }

    static double doubleValue(JsonNode node, String name) {
        JsonNode value = required(node, name);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number");
        }
        return value.doubleValue();
    }

    static Instant instant(JsonNode node, String name) {
        try {
            return Instant.parse(text(node, name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant", e);
        }
    }

    static Instant optionalInstant(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : instant(node, name);
    }

    /** Elements of an array field; absent or null is empty. */
    static <T> List<T> list(JsonNode node, String name, Function<JsonNode, T> element) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return new ArrayList<>();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(name + " must be an array");
        }
        List<T> list = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            list.add(element.apply(item));
        }
        return list;
    }

    /** A map of integers; absent or null is empty. */
    static Map<String, Long> longs(JsonNode node, String name) {
        JsonNode value = node.get(name);
        Map<String, Long> map = new TreeMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(name + " must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            map.put(entry.getKey(), longValue(value, entry.getKey()));
        }
        return map;
    }
}
