package io.perkamo.usage;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Json;

/**
 * The counters of one Space on one UTC day, or a change to them (the same shape: a change is
 * added with {@link #plus}). Counts by code keep their codes, sorted.
 */
public record UsageCounts(long inputsApi, long inputsKafka, long applied, long duplicates, long conflicts,
                          Map<String, Long> rejectedByCode, Map<String, Long> dlqByCode, long redemptions,
                          Map<String, Long> redemptionsRejectedByReason, long activeCustomers,
                          long webhookSucceeded, long webhookFailed, long webhookRetried) {

    public static final UsageCounts ZERO = new UsageCounts(0, 0, 0, 0, 0, Map.of(), Map.of(), 0, Map.of(), 0, 0, 0, 0);

    public UsageCounts {
        rejectedByCode = sorted(rejectedByCode);
        dlqByCode = sorted(dlqByCode);
        redemptionsRejectedByReason = sorted(redemptionsRejectedByReason);
    }

    public long inputs() {
        return inputsApi + inputsKafka;
    }

    public long rejected() {
        return sum(rejectedByCode);
    }

    public long dlq() {
        return sum(dlqByCode);
    }

    public long redemptionsRejected() {
        return sum(redemptionsRejectedByReason);
    }

    public UsageCounts plus(UsageCounts o) {
        return new UsageCounts(inputsApi + o.inputsApi, inputsKafka + o.inputsKafka, applied + o.applied,
                duplicates + o.duplicates, conflicts + o.conflicts, merge(rejectedByCode, o.rejectedByCode),
                merge(dlqByCode, o.dlqByCode), redemptions + o.redemptions,
                merge(redemptionsRejectedByReason, o.redemptionsRejectedByReason),
                activeCustomers + o.activeCustomers, webhookSucceeded + o.webhookSucceeded,
                webhookFailed + o.webhookFailed, webhookRetried + o.webhookRetried);
    }

    /** The stored and published form (the usage topic's value); also the body of one day in the API. */
    public ObjectNode json() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("inputs", inputs());
        n.put("inputs_api", inputsApi);
        n.put("inputs_kafka", inputsKafka);
        n.put("applied", applied);
        n.put("duplicates", duplicates);
        n.put("conflicts", conflicts);
        n.put("rejected", rejected());
        n.set("rejected_by_code", counts(rejectedByCode));
        n.put("dlq", dlq());
        n.set("dlq_by_code", counts(dlqByCode));
        n.put("redemptions", redemptions);
        n.put("redemptions_rejected", redemptionsRejected());
        n.set("redemptions_rejected_by_reason", counts(redemptionsRejectedByReason));
        n.put("active_customers", activeCustomers);
        n.put("webhook_deliveries", webhookSucceeded);
        n.put("webhook_failures", webhookFailed);
        n.put("webhook_retries", webhookRetried);
        return n;
    }

    public byte[] bytes() {
        return Json.bytes(json());
    }

    public static UsageCounts fromJson(JsonNode n) {
        return new UsageCounts(n.path("inputs_api").asLong(), n.path("inputs_kafka").asLong(),
                n.path("applied").asLong(), n.path("duplicates").asLong(), n.path("conflicts").asLong(),
                readCounts(n.path("rejected_by_code")), readCounts(n.path("dlq_by_code")),
                n.path("redemptions").asLong(), readCounts(n.path("redemptions_rejected_by_reason")),
                n.path("active_customers").asLong(), n.path("webhook_deliveries").asLong(),
                n.path("webhook_failures").asLong(), n.path("webhook_retries").asLong());
    }

    public static UsageCounts fromBytes(byte[] bytes) {
        return fromJson(Json.read(bytes).orElseThrow(() -> new IllegalArgumentException("usage record is not JSON")));
    }

    // ---- single changes, as the classifier makes them

    static UsageCounts input(boolean viaApi) {
        return new UsageCounts(viaApi ? 1 : 0, viaApi ? 0 : 1, 0, 0, 0, Map.of(), Map.of(), 0, Map.of(), 0, 0, 0, 0);
    }

    UsageCounts withApplied() {
        return plus(new UsageCounts(0, 0, 1, 0, 0, Map.of(), Map.of(), 0, Map.of(), 0, 0, 0, 0));
    }

    UsageCounts withDuplicate() {
        return plus(new UsageCounts(0, 0, 0, 1, 0, Map.of(), Map.of(), 0, Map.of(), 0, 0, 0, 0));
    }

    UsageCounts withConflict() {
        return plus(new UsageCounts(0, 0, 0, 0, 1, Map.of(), Map.of(), 0, Map.of(), 0, 0, 0, 0));
    }

    UsageCounts withRejected(String code) {
        return plus(new UsageCounts(0, 0, 0, 0, 0, Map.of(code, 1L), Map.of(), 0, Map.of(), 0, 0, 0, 0));
    }

    UsageCounts withDlq(String code) {
        return plus(new UsageCounts(0, 0, 0, 0, 0, Map.of(), Map.of(code, 1L), 0, Map.of(), 0, 0, 0, 0));
    }

    UsageCounts withRedeemed() {
        return plus(new UsageCounts(0, 0, 0, 0, 0, Map.of(), Map.of(), 1, Map.of(), 0, 0, 0, 0));
    }

    UsageCounts withRedemptionRejected(String reason) {
        return plus(new UsageCounts(0, 0, 0, 0, 0, Map.of(), Map.of(), 0, Map.of(reason, 1L), 0, 0, 0, 0));
    }

    UsageCounts withActiveCustomer() {
        return plus(new UsageCounts(0, 0, 0, 0, 0, Map.of(), Map.of(), 0, Map.of(), 1, 0, 0, 0));
    }

    static UsageCounts webhook(long succeeded, long failed, long retried) {
        return new UsageCounts(0, 0, 0, 0, 0, Map.of(), Map.of(), 0, Map.of(), 0, succeeded, failed, retried);
    }

    private static Map<String, Long> sorted(Map<String, Long> m) {
        return Map.copyOf(new TreeMap<>(m));
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        if (b.isEmpty()) {
            return a;
        }
        TreeMap<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static ObjectNode counts(Map<String, Long> m) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        new TreeMap<>(m).forEach(n::put);
        return n;
    }

    private static Map<String, Long> readCounts(JsonNode n) {
        TreeMap<String, Long> out = new TreeMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
