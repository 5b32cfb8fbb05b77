package io.perkamo.console;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.Space;
import io.perkamo.control.WebhookEndpoint;
import io.perkamo.control.WebhookEndpoints;
import io.perkamo.topics.WebhookDelivery;

/**
 * A Space's webhooks: its endpoints as the control plane holds them (never a secret but once,
 * on the answer that added the endpoint), adding one through {@link WebhookEndpoints}, the
 * delivery log's latest state of each recent delivery, and resend, through the same delivery
 * log as {@code POST /v1/admin/webhooks/deliveries/{id}/resend}.
 */
final class WebhookPages {
    static final int RECENT = 50;
    private final ControlPlane control;
    private final Views views;
    private final Chrome chrome;
    private final Console.Webhooks webhooks;
    private final WebhookEndpoints endpoints;

    WebhookPages(ControlPlane control, Views views, Chrome chrome, Console.Webhooks webhooks) {
        this.control = control;
        this.views = views;
        this.chrome = chrome;
        this.webhooks = webhooks;
        this.endpoints = new WebhookEndpoints(control);
    }

    void show(Context ctx, Space space) {
        Optional<Model.Notice> notice = Optional.ofNullable(ctx.queryParam("resent"))
                .map(id -> Model.Notice.ok("Delivery " + id + " resent", "It is pending again; the sender"
                        + " attempts it shortly."));
        render(ctx, space, 200, notice);
    }

    /** Adds an endpoint as {@code perkamo webhooks add} does; its signing secret is shown on this answer only. */
    void add(Context ctx, Space space) {
        List<String> events = Arrays.stream(Web.form(ctx, "events").split(",")).map(String::strip)
                .filter(e -> !e.isEmpty()).toList();
        try {
            WebhookEndpoints.Created created = endpoints.create(space.slug(), Web.form(ctx, "url").strip(), events);
            render(ctx, space, 200, Optional.of(Model.Notice.ok("Endpoint " + created.endpoint().id() + " added",
                    "Deliveries start with the next outcome it wants.")),
                    Optional.of(new Model.NewSecret(created.endpoint().id(), created.secret())));
        } catch (IllegalArgumentException | ControlPlaneException e) {
            render(ctx, space, 400, Optional.of(Model.Notice.error("No endpoint was added", e.getMessage())),
                    Optional.empty());
        }
    }

    void resend(Context ctx, Space space) {
        String id = ctx.pathParam("delivery");
        Console.Resend answer = webhooks.resend(space.slug(), id);
        switch (answer) {
            case RESENT -> ctx.redirect(Web.BASE + "/spaces/" + space.slug() + "/webhooks?resent=" + Web.enc(id),
                    HttpStatus.SEE_OTHER);
            case UNKNOWN -> render(ctx, space, 404, Optional.of(Model.Notice.error("No such delivery",
                    "This Space has no delivery " + id + ".")));
            case NOT_FINISHED -> render(ctx, space, 409, Optional.of(Model.Notice.error("Not resent",
                    "Delivery " + id + " is still being attempted; resend it once it has succeeded or failed.")));
            case PAYLOAD_GONE -> render(ctx, space, 409, Optional.of(Model.Notice.error("Not resent",
                    "The payload of delivery " + id + " is no longer in the delivery log.")));
        }
    }

    private void render(Context ctx, Space space, int status, Optional<Model.Notice> notice) {
        render(ctx, space, status, notice, Optional.empty());
    }

    private void render(Context ctx, Space space, int status, Optional<Model.Notice> notice,
                        Optional<Model.NewSecret> secret) {
        control.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        List<Model.EndpointRow> rows = control.webhooks(space.slug()).stream()
                .map(WebhookPages::endpoint).toList();
        List<Model.DeliveryRow> deliveries = webhooks.recent(space.slug(), RECENT).stream()
                .map(WebhookPages::delivery).toList();
        Web.html(ctx, status, views.render("webhooks", new Model.WebhooksView(chrome.page(ctx, "Webhooks · "
                + space.slug(), Optional.of(space), "webhooks"), rows, deliveries, notice, secret)));
    }

    private static Model.EndpointRow endpoint(WebhookEndpoint e) {
        String state = e.enabled() ? "enabled" : e.disabledReason().map(r -> "disabled: " + r).orElse("disabled");
        return new Model.EndpointRow(e.id(), e.url(), String.join(", ", e.events()), e.enabled(), state,
                Formats.time(e.updatedAt()));
    }

    private static Model.DeliveryRow delivery(WebhookDelivery d) {
        String last = d.lastStatusCode().map(c -> "HTTP " + c).orElse(d.lastError().orElse("—"));
        String next = d.nextAttemptAt().map(t -> "next attempt " + Formats.time(t)).orElse("");
        return new Model.DeliveryRow(d.deliveryId(), d.endpointId(), d.type(), d.status().wire(), d.attempt(), last,
                next, Formats.time(d.updatedAt()), d.status().terminal());
    }
}
