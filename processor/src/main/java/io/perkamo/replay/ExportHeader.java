package io.perkamo.replay;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ProgramVersion;
import io.perkamo.schemas.Json;

/**
 * What an events export carries besides the records, so that {@code perkamo replay --input}
 * needs no broker: the Space, the topic and its partition count (the router hashes against
 * it) and every program version as the control topic holds it. The first line of a JSON
 * lines export ({@code {"perkamo_export": {...}}}), the {@value #AVRO_META} metadata of an
 * Avro one.
 */
record ExportHeader(String space, String topic, int partitions, Instant exportedAt, List<ProgramVersion> programs) {
    static final String FIELD = "perkamo_export";
    static final String AVRO_META = "perkamo.export";
    static final int FORMAT_VERSION = 1;

    ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("format_version", FORMAT_VERSION);
        n.put("space", space);
        n.put("topic", topic);
        n.put("partitions", partitions);
        n.put("exported_at", exportedAt.toString());
        ArrayNode list = n.putArray("programs");
        for (ProgramVersion p : programs) {
            try {
                list.add(Json.MAPPER.readTree(p.toRecord()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    static ExportHeader fromJson(JsonNode n) {
        if (n.path("format_version").asInt(0) != FORMAT_VERSION) {
            throw new IllegalArgumentException("not a perkamo events export of format " + FORMAT_VERSION);
        }
        List<ProgramVersion> programs = new ArrayList<>();
        for (JsonNode p : n.path("programs")) {
            try {
                programs.add(ProgramVersion.fromRecord(Json.MAPPER.writeValueAsBytes(p)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ExportHeader(n.path("space").asText(), n.path("topic").asText(), n.path("partitions").asInt(),
                Instant.parse(n.path("exported_at").asText()), programs);
    }
}
