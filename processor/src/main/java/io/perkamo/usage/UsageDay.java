package io.perkamo.usage;

import java.time.LocalDate;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.perkamo.schemas.Json;

/** One Space's counters of one UTC day: a record of {@code perkamo.<slug>.usage} and a day of the API's answer. */
public record UsageDay(String space, LocalDate date, UsageCounts counts) {

    static final Serde<UsageDay> SERDE = Serdes.serdeFrom(
            (topic, d) -> d == null ? null : Json.bytes(d.json()),
            (topic, bytes) -> bytes == null ? null : fromJson(Json.read(bytes).orElseThrow()));

    public UsageDay {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(counts, "counts");
    }

    /** {@code {"date": ..., "inputs": ..., ...}}, the space named too. */
    public ObjectNode json() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("date", date.toString());
        n.put("space", space);
        n.setAll(counts.json());
        return n;
    }

    public static UsageDay fromJson(JsonNode n) {
        return new UsageDay(n.path("space").asText(), LocalDate.parse(n.path("date").asText()),
                UsageCounts.fromJson(n));
    }
}
