package io.perkamo.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The control plane's webhook endpoints and the delivery log, as the API sees them:
 * {@code POST/GET /v1/admin/config/webhooks}, {@code GET /v1/admin/webhooks/deliveries} and
 * {@code POST /v1/admin/webhooks/deliveries/{id}/resend}. Secrets leave only in the answer that
 * created or rotated them.
 */
public interface WebhookConfig {

    /** @param secret only when just created or rotated */
    record Endpoint(String id, String url, List<String> events, boolean enabled, Instant createdAt,
                    Instant updatedAt, Optional<String> disabledReason, Optional<String> secret) {
        public Endpoint {
            events = List.copyOf(events);
        }
    }

    /** One endpoint of the list sent; {@code id} empty for a new one. */
    record Spec(Optional<String> id, String url, List<String> events, boolean enabled, boolean rotateSecret) {
        public Spec {
            events = List.copyOf(events);
        }
    }

    record Change(String id, String action, String summary) {
    }

    record Problem(String path, String code, String message) {
    }

    sealed interface Result permits Configured, Invalid, RemovalsNotConfirmed {
    }

    record Configured(List<Endpoint> endpoints, List<Change> changes) implements Result {
        public Configured {
            endpoints = List.copyOf(endpoints);
            changes = List.copyOf(changes);
        }
    }

    record Invalid(List<Problem> problems) implements Result {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    record RemovalsNotConfirmed(List<Change> removals, List<Change> changes) implements Result {
        public RemovalsNotConfirmed {
            removals = List.copyOf(removals);
            changes = List.copyOf(changes);
        }
    }

    /** Makes the Space's endpoints those listed (see README, Webhooks). */
    Result configure(String space, List<Spec> endpoints, boolean allowRemovals);

    List<Endpoint> endpoints(String space);

    /**
     * The latest state of recent deliveries, newest first, each as the delivery log's JSON
     * without the payload.
     */
    List<ObjectNode> deliveries(String space, Optional<String> endpointId, Optional<String> status, int limit);

    sealed interface Resend permits Resent, UnknownDelivery, NotFinished, PayloadGone {
    }

    record Resent(ObjectNode delivery) implements Resend {
    }

    record UnknownDelivery() implements Resend {
    }

    record NotFinished(ObjectNode delivery) implements Resend {
    }

    record PayloadGone() implements Resend {
    }

    Resend resend(String space, String deliveryId);
}
