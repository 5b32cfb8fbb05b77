package io.perkamo.api;

import java.time.LocalDate;

import com.fasterxml.jackson.databind.JsonNode;

/** A Space's usage meters: the days from {@code from} to {@code to} (both included) as the API answers them. */
@FunctionalInterface
public interface UsageQuery {

    /**
     * @return a JSON array of days, one per date, a day without activity as zeros
     * @throws IllegalStateException when the meters cannot be read now (starting, rebalancing)
     */
    JsonNode days(String space, LocalDate from, LocalDate to);
}
