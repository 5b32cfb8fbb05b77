package io.perkamo.node;

import java.time.LocalDate;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.api.UsageQuery;
import io.perkamo.console.Console;
import io.perkamo.usage.UsageStreams;

/** The console's usage meters: the very {@link UsageQuery} that answers {@code GET /v1/usage}, so both show the same days. */
final class ConsoleUsage implements Console.Usage {
    private final UsageQuery query;

    ConsoleUsage(UsageQuery query) {
        this.query = query;
    }

    @Override
    public JsonNode days(String space, LocalDate from, LocalDate to) {
        return query.days(space, from, to);
    }

    @Override
    public int maxDays() {
        return UsageStreams.MAX_DAYS;
    }
}
