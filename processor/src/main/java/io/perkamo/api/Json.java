package io.perkamo.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perkamo.core.program.Programs;

/**
 * Request bodies in and JSON out, with the project's strict mapper (schemas/ {@code Json}: no
 * trailing garbage, no duplicate keys, numbers exactly as sent) and the programs' YAML reader.
 */
final class Json {
    static final ObjectMapper MAPPER = io.perkamo.schemas.Json.MAPPER;
    private static final ObjectMapper YAML = Programs.YAML;

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a request body; malformed or empty input is {@code invalid_json}. */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("invalid_json", "the request body is empty; send a JSON object");
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest("invalid_json", "the request body is empty; send a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the request body is not valid JSON: " + firstLine(e));
        }
    }

    static JsonNode parseYaml(byte[] body) {
        try {
            JsonNode node = YAML.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest("invalid_yaml", "the request body is empty");
            }
            return node;
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_yaml", "the request body is not valid YAML: " + firstLine(e));
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String firstLine(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        String line = nl < 0 ? m : m.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
