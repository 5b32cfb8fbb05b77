package io.perkamo.schemas.input;

import io.perkamo.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * Streams one JSON document straight to bytes, without building a tree first: outcomes and
 * profiles are written once per input on the processor's hot path. The same writer feeds a
 * {@link TokenBuffer} when a caller wants the tree, so each shape is defined once.
 */
final class JsonWrite {
    /** What a shape does with the writer; IOExceptions come only from the generator. */
    interface Body {
        void write(JsonWrite out) throws IOException;
    }

    /**
     * Reads the buffered tokens back as they were written: a double stays a DoubleNode and a
     * BigDecimal (a trait read exactly) keeps its scale.
     */
    private static final ObjectMapper TREES = JsonMapper.builder()
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false).build();

    private final JsonGenerator g;

    private JsonWrite(JsonGenerator g) {
        this.g = g;
    }

    static byte[] bytes(Body body) {
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(Json.MAPPER.getFactory()._getBufferRecycler(), 512)) {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(buffer)) {
                body.write(new JsonWrite(g));
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(Body body) {
        try (TokenBuffer buffer = new TokenBuffer(TREES, false)) {
            body.write(new JsonWrite(buffer));
            return TREES.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonWrite startObject() throws IOException {
        g.writeStartObject();
        return this;
    }

    JsonWrite endObject() throws IOException {
        g.writeEndObject();
        return this;
    }

    JsonWrite startArray(String name) throws IOException {
        g.writeArrayFieldStart(name);
        return this;
    }

    JsonWrite endArray() throws IOException {
        g.writeEndArray();
        return this;
    }

    JsonWrite startObject(String name) throws IOException {
        g.writeObjectFieldStart(name);
        return this;
    }

    /** A null value is written as JSON null. */
    JsonWrite field(String name, String value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
        return this;
    }

    /** A null value leaves the field out. */
    JsonWrite fieldIfSet(String name, String value) throws IOException {
        return value == null ? this : field(name, value);
    }

    JsonWrite field(String name, long value) throws IOException {
        g.writeNumberField(name, value);
        return this;
    }

    /** A null value is written as JSON null. */
    JsonWrite field(String name, Long value) throws IOException {
        return value == null ? nullField(name) : field(name, value.longValue());
    }

    JsonWrite field(String name, int value) throws IOException {
        g.writeNumberField(name, value);
        return this;
    }

    /** A null value is written as JSON null. */
    JsonWrite field(String name, Integer value) throws IOException {
        return value == null ? nullField(name) : field(name, value.intValue());
    }

    private JsonWrite nullField(String name) throws IOException {
        g.writeNullField(name);
        return this;
    }

    JsonWrite field(String name, double value) throws IOException {
        g.writeNumberField(name, value);
        return this;
    }

    JsonWrite field(String name, boolean value) throws IOException {
        g.writeBooleanField(name, value);
        return this;
    }

    /** ISO-8601 UTC; a null instant is written as JSON null. */
    JsonWrite field(String name, Instant value) throws IOException {
        return field(name, value == null ? null : Timestamps.format(value));
    }

    JsonWrite field(String name, JsonNode value) throws IOException {
        g.writeFieldName(name);
        g.writeTree(value);
        return this;
    }

    /** A map of longs as an object with sorted keys, so one state always prints the same (Avro maps come back as HashMaps). */
    JsonWrite longs(String name, Map<String, Long> map) throws IOException {
        g.writeObjectFieldStart(name);
        Map<String, Long> sorted = map instanceof TreeMap<String, Long> t && t.comparator() == null ? t : new TreeMap<>(map);
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        return this;
    }
}
