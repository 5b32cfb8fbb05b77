package io.perkamo.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * Webhook endpoints and deliveries over the admin API (scope {@code admin:config}):
 * {@code POST /v1/admin/config/webhooks} makes the Space's endpoints those listed (entries
 * with an {@code id} change that endpoint, entries without one are new and answer their secret
 * once, endpoints left out are removed only with {@code allow_removals}),
 * {@code GET /v1/admin/config/webhooks} lists them (never a secret), the delivery log and resend.
 */
final class WebhookHandlers {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> STATUSES = Set.of("pending", "retrying", "succeeded", "failed");
    private static final Set<String> ENTRY_FIELDS = Set.of("id", "url", "events", "enabled", "rotate_secret",
            "secret", "created_at", "updated_at", "disabled_reason");

    private final Guard guard;
    private final Optional<WebhookConfig> webhooks;

    WebhookHandlers(Guard guard, Optional<WebhookConfig> webhooks) {
        this.guard = guard;
        this.webhooks = webhooks;
    }

    /** POST /v1/admin/config/webhooks, after AdminHandlers authenticated and read the body. */
    void configure(Context ctx, String space, JsonNode body, boolean allowRemovals) {
        WebhookConfig config = config();
        JsonNode list = body.isObject() && body.has("webhooks") ? body.get("webhooks") : body;
        if (!list.isArray()) {
            throw ApiError.badRequest("invalid_webhooks", "send the Space's endpoints as a list: {\"webhooks\":"
                    + " [{\"url\": \"https://...\", \"events\": [\"purchase.completed\"]}]}");
        }
        List<WebhookConfig.Spec> specs = new ArrayList<>();
        List<WebhookConfig.Problem> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            spec(list.get(i), "webhooks[" + i + "]", problems).ifPresent(specs::add);
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        WebhookConfig.Result result = config.configure(space, specs, allowRemovals);
        if (result instanceof WebhookConfig.Invalid invalid) {
            throw invalid(invalid.problems());
        }
        if (result instanceof WebhookConfig.RemovalsNotConfirmed refused) {
            ObjectNode details = Json.object();
            details.set("removals", changes(refused.removals()));
            details.set("changes", changes(refused.changes()));
            throw new ApiError(409, "removals_not_confirmed", "this upload removes webhook endpoints ("
                    + String.join("; ", refused.removals().stream().map(WebhookConfig.Change::summary).toList())
                    + "); send \"allow_removals\": true to remove them", details, Map.of());
        }
        WebhookConfig.Configured done = (WebhookConfig.Configured) result;
        ObjectNode answer = Json.object();
        answer.put("space", space);
        answer.put("module", "webhooks");
        answer.put("status", "updated");
        answer.set("webhooks", endpoints(done.endpoints()));
        answer.set("changes", changes(done.changes()));
        Responses.json(ctx, 200, answer);
    }

    /** GET /v1/admin/config/webhooks. */
    void list(Context ctx, String space) {
        ObjectNode answer = Json.object();
        answer.put("space", space);
        answer.set("webhooks", endpoints(config().endpoints(space)));
        Responses.json(ctx, 200, answer);
    }

    /** GET /v1/admin/webhooks/deliveries?endpoint=&status=&limit= */
    void deliveries(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, null);
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiError.badRequest("invalid_status", "status is one of pending, retrying, succeeded, failed");
        }
        int limit = DEFAULT_LIMIT;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiError.badRequest("invalid_limit", "limit is 1.." + MAX_LIMIT);
            }
        }
        String space = call.caller().space();
        ArrayNode list = Json.array();
        config().deliveries(space, Optional.ofNullable(ctx.queryParam("endpoint")), Optional.ofNullable(status), limit)
                .forEach(list::add);
        ObjectNode answer = Json.object();
        answer.put("space", space);
        answer.set("deliveries", list);
        Responses.json(ctx, 200, answer);
    }

    /** POST /v1/admin/webhooks/deliveries/{delivery_id}/resend */
    void resend(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, call.body().length == 0 ? null : Json.parse(call.body()));
        String id = ctx.pathParam("delivery_id");
        WebhookConfig.Resend result = config().resend(call.caller().space(), id);
        if (result instanceof WebhookConfig.UnknownDelivery) {
            throw ApiError.notFound("delivery_not_found", "no delivery " + id + " in this Space's delivery log");
        }
        if (result instanceof WebhookConfig.NotFinished nf) {
            throw new ApiError(409, "delivery_not_finished", "delivery " + id + " is still "
                    + nf.delivery().path("status").asText() + "; it goes out on its own",
                    Json.object().set("delivery", nf.delivery()), Map.of());
        }
        if (result instanceof WebhookConfig.PayloadGone) {
            throw new ApiError(410, "payload_gone", "the payload of delivery " + id
                    + " is no longer in the delivery log");
        }
        ObjectNode answer = Json.object();
        answer.put("status", "pending");
        answer.set("delivery", ((WebhookConfig.Resent) result).delivery());
        Responses.json(ctx, 202, answer);
    }

    private WebhookConfig config() {
        return webhooks.orElseThrow(() -> new ApiError(501, "not_implemented",
                "webhooks are not available on this server"));
    }

    private static Optional<WebhookConfig.Spec> spec(JsonNode n, String path, List<WebhookConfig.Problem> problems) {
        if (!n.isObject()) {
            problems.add(new WebhookConfig.Problem(path, "invalid_type", "an endpoint is an object with url"));
            return Optional.empty();
        }
        int before = problems.size();
        n.fieldNames().forEachRemaining(f -> {
            if (!ENTRY_FIELDS.contains(f)) {
                problems.add(new WebhookConfig.Problem(path + "." + f, "unknown_field", "`" + f
                        + "`: unknown field; known fields: id, url, events, enabled, rotate_secret"));
            }
        });
        Optional<String> id = Optional.empty();
        if (n.has("id") && !n.get("id").isNull()) {
            if (!n.get("id").isTextual()) {
                problems.add(new WebhookConfig.Problem(path + ".id", "invalid_type", "id is a string"));
            } else {
                id = Optional.of(n.get("id").asText());
            }
        }
        JsonNode url = n.get("url");
        if (url == null || !url.isTextual()) {
            problems.add(new WebhookConfig.Problem(path + ".url", url == null ? "missing_field" : "invalid_type",
                    "url is required: the http(s) URL to POST to"));
        }
        List<String> events = new ArrayList<>();
        JsonNode ev = n.get("events");
        if (ev != null && !ev.isNull()) {
            if (!ev.isArray()) {
                problems.add(new WebhookConfig.Problem(path + ".events", "invalid_type",
                        "events is a list of event keys, or [\"*\"]"));
            } else {
                ev.forEach(e -> {
                    if (e.isTextual()) {
                        events.add(e.asText());
                    } else {
                        problems.add(new WebhookConfig.Problem(path + ".events", "invalid_type",
                                "events is a list of event keys"));
                    }
                });
            }
        }
        boolean enabled = flag(n, "enabled", true, path, problems);
        boolean rotate = flag(n, "rotate_secret", false, path, problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new WebhookConfig.Spec(id, url.asText(), events, enabled, rotate));
    }

    private static boolean flag(JsonNode n, String name, boolean absent, String path,
                                List<WebhookConfig.Problem> problems) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            problems.add(new WebhookConfig.Problem(path + "." + name, "invalid_type", name + " is true or false"));
            return absent;
        }
        return v.asBoolean();
    }

    private static ArrayNode endpoints(List<WebhookConfig.Endpoint> endpoints) {
        ArrayNode list = Json.array();
        for (WebhookConfig.Endpoint e : endpoints) {
            ObjectNode o = list.addObject();
            o.put("id", e.id());
            o.put("url", e.url());
            ArrayNode events = o.putArray("events");
            e.events().forEach(events::add);
            o.put("enabled", e.enabled());
            o.put("created_at", e.createdAt().toString());
            o.put("updated_at", e.updatedAt().toString());
            e.disabledReason().ifPresent(r -> o.put("disabled_reason", r));
            e.secret().ifPresent(s -> o.put("secret", s));
        }
        return list;
    }

    private static ArrayNode changes(List<WebhookConfig.Change> changes) {
        ArrayNode list = Json.array();
        for (WebhookConfig.Change c : changes) {
            list.addObject().put("kind", "webhook").put("key", c.id()).put("action", c.action())
                    .put("summary", c.summary());
        }
        return list;
    }

    private static ApiError invalid(List<WebhookConfig.Problem> problems) {
        ArrayNode list = Json.array();
        for (WebhookConfig.Problem p : problems) {
            list.addObject().put("path", p.path()).put("code", p.code()).put("message", p.message());
        }
        return new ApiError(400, problems.get(0).code(), problems.get(0).message(), Json.object().set("errors", list),
                Map.of());
    }
}
