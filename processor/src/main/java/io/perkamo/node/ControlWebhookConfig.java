package io.perkamo.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.api.WebhookConfig;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.WebhookEndpoint;
import io.perkamo.control.WebhookEndpoints;
import io.perkamo.topics.WebhookDelivery;
import io.perkamo.webhooks.DeliveryLog;

/** Webhook endpoints (control plane) and deliveries (the delivery log) in the API's terms. */
final class ControlWebhookConfig implements WebhookConfig {
    private final ControlPlane control;
    private final WebhookEndpoints endpoints;
    private final DeliveryLog deliveries;

    ControlWebhookConfig(ControlPlane control, DeliveryLog deliveries) {
        this.control = control;
        this.endpoints = new WebhookEndpoints(control);
        this.deliveries = deliveries;
    }

    @Override
    public Result configure(String space, List<Spec> specs, boolean allowRemovals) {
        WebhookEndpoints.Result result = endpoints.configure(space, specs.stream()
                .map(s -> new WebhookEndpoints.Spec(s.id(), s.url(), s.events(), s.enabled(), s.rotateSecret()))
                .toList(), allowRemovals);
        if (result instanceof WebhookEndpoints.Invalid invalid) {
            return new Invalid(invalid.problems().stream().map(p -> new Problem(p.path(), p.code(), p.message()))
                    .toList());
        }
        if (result instanceof WebhookEndpoints.RemovalsNotConfirmed r) {
            return new RemovalsNotConfirmed(changes(r.removals()), changes(r.changes()));
        }
        WebhookEndpoints.Configured done = (WebhookEndpoints.Configured) result;
        return new Configured(done.endpoints().stream().map(e -> endpoint(e, done.secrets())).toList(),
                changes(done.changes()));
    }

    @Override
    public List<Endpoint> endpoints(String space) {
        control.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        return control.webhooks(space).stream().map(e -> endpoint(e, Map.of())).toList();
    }

    @Override
    public List<ObjectNode> deliveries(String space, Optional<String> endpointId, Optional<String> status, int limit) {
        return deliveries.recent(new DeliveryLog.Query(space, endpointId,
                status.flatMap(WebhookDelivery.Status::parse), limit)).stream().map(DeliveryLog::toJson).toList();
    }

    @Override
    public Resend resend(String space, String deliveryId) {
        DeliveryLog.Resend r = deliveries.resend(space, deliveryId);
        if (r instanceof DeliveryLog.Resent resent) {
            return new Resent(DeliveryLog.toJson(resent.delivery()));
        }
        if (r instanceof DeliveryLog.NotFinished nf) {
            return new NotFinished(DeliveryLog.toJson(nf.delivery()));
        }
        if (r instanceof DeliveryLog.NoPayload) {
            return new PayloadGone();
        }
        return new UnknownDelivery();
    }

    private static Endpoint endpoint(WebhookEndpoint e, Map<String, String> secrets) {
        return new Endpoint(e.id(), e.url(), e.events(), e.enabled(), e.createdAt(), e.updatedAt(),
                e.disabledReason(), Optional.ofNullable(secrets.get(e.id())));
    }

    private static List<Change> changes(List<WebhookEndpoints.Change> changes) {
        return changes.stream().map(c -> new Change(c.id(), c.action(), c.summary())).toList();
    }
}
