package io.perkamo.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.perkamo.control.keys.SealedSecret;

/**
 * A Space's webhook endpoint as stored on the webhooks control topic: where outcomes are
 * POSTed, which types it wants, whether it is enabled, and its signing secret sealed with the
 * master key (never the secret itself).
 *
 * @param events         event keys (and {@code reward.redeemed}, {@code reward.rejected}); {@code *} for all
 * @param disabledReason why the endpoint was disabled, when it was not by an operator (e.g. HTTP 410)
 */
public record WebhookEndpoint(String id, String space, String url, List<String> events, boolean enabled,
                              String ciphertext, Instant createdAt, Instant updatedAt,
                              Optional<String> disabledReason) implements SealedSecret {
    public static final String ALL_EVENTS = "*";

    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(disabledReason, "disabledReason");
        events = List.copyOf(events);
    }

    /** Whether this endpoint subscribes to outcomes of this type. */
    public boolean wants(String type) {
        return events.contains(ALL_EVENTS) || events.contains(type);
    }

    WebhookEndpoint with(String newUrl, List<String> newEvents, boolean newEnabled, Optional<String> reason,
                         Instant at) {
        return new WebhookEndpoint(id, space, newUrl, newEvents, newEnabled, ciphertext, createdAt, at, reason);
    }

    WebhookEndpoint withCiphertext(String newCiphertext, Instant at) {
        return new WebhookEndpoint(id, space, url, events, enabled, newCiphertext, createdAt, at, disabledReason);
    }

    /** Never shows the sealed secret. */
    @Override
    public String toString() {
        return "WebhookEndpoint[id=" + id + ", space=" + space + ", url=" + url + ", events=" + events
                + ", enabled=" + enabled + "]";
    }
}
