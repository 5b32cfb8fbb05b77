package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.Environment;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceSettings;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeDelta;
import io.perkamo.schemas.avro.OutcomeError;

class PayloadsTest {
    private static final Space SPACE = new Space("shop-live", "Shop", Environment.LIVE, 3, Instant.EPOCH,
            SpaceSettings.DEFAULTS);

    @Test
    void shouldDeliverAppliedEventsAndDecidedRedemptionsOnly() {
        assertThat(Payloads.type(outcome("event", "applied", false, null))).contains("purchase.completed");
        assertThat(Payloads.type(outcome("redemption", "redeemed", false, null))).contains("reward.redeemed");
        assertThat(Payloads.type(outcome("redemption", "rejected", false, null))).contains("reward.rejected");
        // duplicates, idempotency conflicts and identifies are not
        assertThat(Payloads.type(outcome("event", "applied", true, null))).isEmpty();
        assertThat(Payloads.type(outcome("redemption", "redeemed", true, null))).isEmpty();
        assertThat(Payloads.type(outcome("event", "rejected", false, "idempotency_conflict"))).isEmpty();
        assertThat(Payloads.type(outcome("redemption", "rejected", false, "idempotency_conflict"))).isEmpty();
        assertThat(Payloads.type(outcome("identify", "applied", false, null))).isEmpty();
    }

    @Test
    void shouldWriteThePayloadOfTheSpec() throws Exception {
        ObjectNode context = (ObjectNode) Json.MAPPER.readTree("{\"amount\": 12900, \"price\": 129.90}");

        JsonNode body = Json.MAPPER.readTree(Payloads.body("evt_1", "purchase.completed",
                Instant.parse("2026-01-02T03:04:05Z"), SPACE, outcome("event", "applied", false, null),
                Optional.of(context)));

        assertThat(body.path("id").asText()).isEqualTo("evt_1");
        assertThat(body.path("type").asText()).isEqualTo("purchase.completed");
        assertThat(body.path("created_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        JsonNode data = body.path("data");
        assertThat(data.path("space").toString())
                .isEqualTo("{\"slug\":\"shop-live\",\"name\":\"Shop\",\"environment\":\"live\"}");
        assertThat(data.path("user_id").asText()).isEqualTo("u1");
        assertThat(data.path("transaction_id").asText()).isEqualTo("tx-1");
        assertThat(data.path("event").asText()).isEqualTo("purchase.completed");
        assertThat(data.path("status").asText()).isEqualTo("applied");
        assertThat(data.path("occurred_at").asText()).isNotEmpty();
        // the context exactly as sent (129.90 keeps its scale)
        assertThat(data.path("context").toString()).isEqualTo("{\"amount\":12900,\"price\":129.90}");
        assertThat(data.path("delta").toString()).isEqualTo("[{\"wallet\":\"points\",\"amount\":129}]");
        assertThat(data.path("effects").isArray()).isTrue();
        assertThat(data.path("wallet_state").toString()).isEqualTo("{\"points\":129}");
        assertThat(data.has("reward")).isFalse();
    }

    @Test
    void shouldNameTheRewardAndTheReasonOfARejectedRedemption() throws Exception {
        Outcome rejected = outcome("redemption", "rejected", false, null);
        rejected.setReward("coffee");
        rejected.setReason("insufficient_balance");
        rejected.setEvent(null);

        JsonNode data = Json.MAPPER.readTree(Payloads.body("evt_2", "reward.rejected", Instant.EPOCH, SPACE, rejected,
                Optional.empty())).path("data");

        assertThat(data.path("reward").asText()).isEqualTo("coffee");
        assertThat(data.path("reason").asText()).isEqualTo("insufficient_balance");
        assertThat(data.path("event").isNull()).isTrue();
        assertThat(data.path("context").toString()).isEqualTo("{}");
    }

    @Test
    void shouldNameOutcomesAndDeliveriesTheSameWayEveryTime() {
        String event = DeliveryIds.eventId("shop-live", 2, 41);

        assertThat(event).isEqualTo(DeliveryIds.eventId("shop-live", 2, 41)).matches("evt_[0-9a-f]{24}")
                .isNotEqualTo(DeliveryIds.eventId("shop-live", 2, 42))
                .isNotEqualTo(DeliveryIds.eventId("shop-test", 2, 41));
        assertThat(DeliveryIds.deliveryId("we_a", event)).isEqualTo(DeliveryIds.deliveryId("we_a", event))
                .isNotEqualTo(DeliveryIds.deliveryId("we_b", event)).matches("dlv_[0-9a-f]{24}");
    }

    private static Outcome outcome(String kind, String status, boolean duplicate, String errorCode) {
        Outcome o = new Outcome();
        o.setUserId("u1");
        o.setKind(kind);
        o.setTransactionId("tx-1");
        o.setEvent("event".equals(kind) ? "purchase.completed" : null);
        o.setReward("redemption".equals(kind) ? "coffee" : null);
        o.setOccurredAt(Instant.parse("2026-01-02T03:04:00Z"));
        o.setProgramVersion(1);
        o.setStatus(status);
        o.setApplied("applied".equals(status) && !duplicate);
        o.setDuplicate(duplicate);
        o.setDelta(List.of(new OutcomeDelta("points", 129L)));
        o.setLeveledUp(false);
        o.setUnlocked(List.of());
        o.setWalletState(Map.of("points", 129L));
        o.setEffects(List.of());
        if (errorCode != null) {
            o.setReason(errorCode);
            o.setError(new OutcomeError(errorCode, "used with another payload"));
        }
        return o;
    }
}
