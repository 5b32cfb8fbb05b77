package io.perkamo.replay;

import org.apache.kafka.common.header.Headers;

import io.perkamo.topics.PerkamoHeaders;

/**
 * One record of a Space's events topic as a replay reads it, from the cluster or an export:
 * where it sits, its time and its exact key, value and headers.
 *
 * @param key   null when the producer wrote none
 * @param value null for a tombstone
 */
public record LogRecord(int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {

    /** Whether the router already moved this record once (its copy on the right partition). */
    public boolean rerouted() {
        return headers.lastHeader(PerkamoHeaders.REROUTED) != null;
    }
}
