package io.perkamo.node;

import java.time.LocalDate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.apache.kafka.streams.errors.InvalidStateStoreException;

import io.perkamo.api.UsageQuery;
import io.perkamo.schemas.Json;
import io.perkamo.usage.UsageDay;
import io.perkamo.usage.UsageStreams;

/** The API's usage port over the usage meters' store. */
final class UsageDays implements UsageQuery {
    private final UsageStreams usage;

    UsageDays(UsageStreams usage) {
        this.usage = usage;
    }

    @Override
    public JsonNode days(String space, LocalDate from, LocalDate to) {
        try {
            ArrayNode days = Json.MAPPER.createArrayNode();
            for (UsageDay day : usage.days(space, from, to)) {
                days.add(day.json().without("space"));
            }
            return days;
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("usage store not queryable: " + e.getMessage(), e);
        }
    }
}
