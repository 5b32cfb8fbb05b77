package io.perkamo.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WebhookDeliveryJsonTest {

    @Test
    void shouldReadBackWhatItWrites() {
        WebhookDelivery d = new WebhookDelivery("dlv_1", "evt_1", "shop", "we_1", "purchase.completed",
                WebhookDelivery.Status.RETRYING, 2, 2, 1, 41, "https://shop.example/h",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:05Z"),
                Optional.of(Instant.parse("2026-01-01T00:01:05Z")), Optional.of(503), Optional.of(12L),
                Optional.of("HTTP 503"), Optional.of("{\"id\":\"evt_1\"}"));

        assertThat(WebhookDeliveryJson.read(WebhookDeliveryJson.bytes(d))).isEqualTo(d);
    }

    @Test
    void shouldLeaveOutWhatAFinishedDeliveryDoesNotHave() {
        WebhookDelivery d = new WebhookDelivery("dlv_1", "evt_1", "shop", "we_1", "reward.redeemed",
                WebhookDelivery.Status.SUCCEEDED, 1, 1, 0, 7, "https://shop.example/h", Instant.EPOCH, Instant.EPOCH,
                Optional.empty(), Optional.of(200), Optional.of(3L), Optional.empty(), Optional.empty());

        String json = new String(WebhookDeliveryJson.bytes(d), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).contains("\"status\":\"succeeded\"", "\"last_status_code\":200")
                .doesNotContain("next_attempt_at", "last_error", "body");
        assertThat(WebhookDeliveryJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(d);
    }
}
