package io.perkamo.replay;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Json;

/** What the log held, in the report's window: records, inputs folded, DLQ by code, records moved. */
final class LogCounts {
    long records;
    long inputs;
    long moved;
    final Map<String, Long> dlq = new TreeMap<>();

    void refused(String code, boolean counted) {
        if (counted) {
            records++;
            dlq.merge(code, 1L, Long::sum);
        }
    }

    void moved(boolean counted) {
        if (counted) {
            records++;
            moved++;
        }
    }

    void folded(boolean counted) {
        if (counted) {
            records++;
            inputs++;
        }
    }

    /** The counts' fields of a report's summary.json, the same for the audit and the what-if. */
    void putInto(ObjectNode summary) {
        summary.put("records", records);
        summary.put("inputs", inputs);
        summary.put("dlq", dlqTotal());
        summary.set("dlq_by_code", Json.MAPPER.valueToTree(dlq));
        summary.put("moved", moved);
    }

    long dlqTotal() {
        return dlq.values().stream().mapToLong(Long::longValue).sum();
    }

    void add(LogCounts other) {
        records += other.records;
        inputs += other.inputs;
        moved += other.moved;
        other.dlq.forEach((k, v) -> dlq.merge(k, v, Long::sum));
    }
}
