package io.perkamo.control;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.control.keys.SealedValue;
import io.perkamo.schemas.Json;

/**
 * The JSON of control-topic values, written by hand so the wire shape is explicit and
 * snake_case like the API. Readers tolerate unknown fields and default absent optional ones.
 */
final class ControlJson {
    static final ObjectMapper MAPPER = Json.MAPPER;

    private ControlJson() {
    }

    // ---- Space: perkamo._control.spaces, key = slug

    static byte[] space(Space s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("slug", s.slug());
        n.put("name", s.name());
        n.put("environment", s.environment().id());
        n.put("partitions", s.partitions());
        n.put("created_at", s.createdAt().toString());
        ObjectNode settings = n.putObject("settings").put("require_signatures", s.settings().requireSignatures());
        SpaceRateLimits limits = s.settings().rateLimits();
        if (!limits.equals(SpaceRateLimits.NONE)) {
            ObjectNode l = settings.putObject("rate_limits");
            limits.serverKey().ifPresent(v -> l.put("server_key", v));
            limits.browserKey().ifPresent(v -> l.put("browser_key", v));
            limits.browserUser().ifPresent(v -> l.put("browser_user", v));
        }
        return bytes(n);
    }

    static Space space(byte[] value) {
        JsonNode n = tree(value);
        JsonNode settings = n.path("settings");
        return new Space(text(n, "slug"), text(n, "name"),
                Environment.parse(text(n, "environment"))
                        .orElseThrow(() -> new IllegalArgumentException("bad environment")),
                n.path("partitions").asInt(0), Instant.parse(text(n, "created_at")),
                new SpaceSettings(settings.path("require_signatures").asBoolean(false),
                        rateLimits(settings.path("rate_limits"))));
    }

    private static SpaceRateLimits rateLimits(JsonNode n) {
        return new SpaceRateLimits(perMinute(n, "server_key"), perMinute(n, "browser_key"),
                perMinute(n, "browser_user"));
    }

    private static java.util.OptionalInt perMinute(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.canConvertToInt() && v.asInt() >= 1 ? java.util.OptionalInt.of(v.asInt())
                : java.util.OptionalInt.empty();
    }

    // ---- API key: perkamo._control.keys, key = key id

    static byte[] key(ApiKeyRecord k) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", k.id());
        n.put("space", k.space());
        n.put("kind", k.kind().id());
        n.put("prefix", k.prefix());
        n.put("lookup_hash", k.lookupHash());
        n.put("ciphertext", k.ciphertext());
        ArrayNode scopes = n.putArray("scopes");
        new TreeSet<>(k.scopes()).forEach(scopes::add);
        n.put("created_at", k.createdAt().toString());
        k.revokedAt().ifPresent(r -> n.put("revoked_at", r.toString()));
        k.browserPolicy().ifPresent(p -> {
            ObjectNode bp = n.putObject("browser_policy");
            ArrayNode origins = bp.putArray("allowed_origins");
            p.allowedOrigins().forEach(origins::add);
            ArrayNode events = bp.putArray("allowed_events");
            p.allowedEvents().forEach(events::add);
            bp.put("max_ttl_seconds", p.maxTtlSeconds());
        });
        k.expiresAt().ifPresent(e -> n.put("expires_at", e.toString()));
        k.browserKeyId().ifPresent(b -> n.put("browser_key_id", b));
        k.tokenSecret().ifPresent(t -> n.put("token_secret", t.ciphertext()));
        return bytes(n);
    }

    static ApiKeyRecord key(byte[] value) {
        JsonNode n = tree(value);
        JsonNode bp = n.path("browser_policy");
        // records from before policies could be set hold the creation default under token_ttl_seconds:
        // that is no policy set, so the environment's default applies
        Optional<BrowserPolicy> policy = bp.isObject() && bp.has("max_ttl_seconds")
                ? Optional.of(new BrowserPolicy(strings(bp.path("allowed_origins")), strings(bp.path("allowed_events")),
                        bp.path("max_ttl_seconds").asInt(BrowserPolicy.DEFAULT_MAX_TTL_SECONDS)))
                : Optional.empty();
        String id = text(n, "id");
        JsonNode tokenSecret = n.path("token_secret");
        return new ApiKeyRecord(id, text(n, "space"),
                ApiKeyRecord.Kind.parse(text(n, "kind")).orElseThrow(() -> new IllegalArgumentException("bad kind")),
                text(n, "prefix"), text(n, "lookup_hash"), text(n, "ciphertext"),
                new LinkedHashSet<>(strings(n.path("scopes"))), Instant.parse(text(n, "created_at")),
                optionalInstant(n, "revoked_at"), policy, optionalInstant(n, "expires_at"),
                n.path("browser_key_id").isTextual() ? Optional.of(n.path("browser_key_id").asText()) : Optional.empty(),
                tokenSecret.isTextual() ? Optional.of(new SealedValue(id, tokenSecret.asText())) : Optional.empty());
    }

    private static Optional<Instant> optionalInstant(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? Optional.of(Instant.parse(v.asText())) : Optional.empty();
    }

    // ---- Key usage: perkamo._control.key-usage, key = key id

    static byte[] keyUsage(String keyId, Instant lastUsedAt) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("key_id", keyId);
        n.put("last_used_at", lastUsedAt.toString());
        return bytes(n);
    }

    static Instant keyUsage(byte[] value) {
        return Instant.parse(text(tree(value), "last_used_at"));
    }

    // ---- Program version: perkamo._control.programs, key = slug:version(19 digits)

    static String programKey(String slug, long version) {
        return slug + ":" + String.format("%019d", version);
    }

    static byte[] program(ProgramVersion p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("space", p.space());
        n.put("version", p.version());
        n.put("effective_at", p.effectiveAt().toString());
        n.put("created_at", p.createdAt().toString());
        n.set("program", p.program());
        return bytes(n);
    }

    static ProgramVersion program(byte[] value) {
        JsonNode n = tree(value);
        JsonNode program = n.path("program");
        if (!program.isObject()) {
            throw new IllegalArgumentException("program is not an object");
        }
        return new ProgramVersion(text(n, "space"), n.path("version").asLong(0), Instant.parse(text(n, "effective_at")),
                Instant.parse(text(n, "created_at")), (ObjectNode) program);
    }

    // ---- Webhook endpoint: perkamo._control.webhooks, key = endpoint id

    static byte[] webhook(WebhookEndpoint e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("space", e.space());
        n.put("url", e.url());
        ArrayNode events = n.putArray("events");
        e.events().forEach(events::add);
        n.put("enabled", e.enabled());
        n.put("ciphertext", e.ciphertext());
        n.put("created_at", e.createdAt().toString());
        n.put("updated_at", e.updatedAt().toString());
        e.disabledReason().ifPresent(r -> n.put("disabled_reason", r));
        return bytes(n);
    }

    static WebhookEndpoint webhook(byte[] value) {
        JsonNode n = tree(value);
        JsonNode reason = n.path("disabled_reason");
        return new WebhookEndpoint(text(n, "id"), text(n, "space"), text(n, "url"), strings(n.path("events")),
                n.path("enabled").asBoolean(true), text(n, "ciphertext"), Instant.parse(text(n, "created_at")),
                Instant.parse(text(n, "updated_at")),
                reason.isTextual() ? Optional.of(reason.asText()) : Optional.empty());
    }

    // ----

    private static JsonNode tree(byte[] value) {
        try {
            JsonNode n = MAPPER.readTree(value);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field " + field);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
