package io.perkamo.control;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.control.keys.KeyCrypto;
import io.perkamo.control.keys.SecretKind;
import io.perkamo.topics.TopicAdmin;
import io.perkamo.topics.TopicReadiness;
import io.perkamo.topics.Topics;

/**
 * Adds, changes and removes a Space's webhook endpoints (SPEC section 5), for the API, the CLI
 * and the sender (which disables an endpoint that answers 410). A new endpoint gets a secret
 * {@code whsec_<base64 of 32 random bytes>}, handed out once (on creation and on rotation);
 * the webhooks topic holds it sealed with the master key ({@link SecretKind#WEBHOOK_SECRET}).
 * The first endpoint of a Space creates its delivery log topic. Writes go through the control
 * log and are visible when a call returns.
 */
public final class WebhookEndpoints {
    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoints.class);
    public static final String SECRET_PREFIX = "whsec_";
    static final int SECRET_BYTES = 32;
    static final int ID_LENGTH = 16;
    /** How many endpoints a Space may have. */
    public static final int MAX_PER_SPACE = 20;
    private static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ControlPlane cp;

    public WebhookEndpoints(ControlPlane cp) {
        this.cp = cp;
    }

    /** A new endpoint and its secret, the only time the secret is shown. */
    public record Created(WebhookEndpoint endpoint, String secret) {
        @Override
        public String toString() {
            return "Created[" + endpoint + "]";
        }
    }

    /**
     * One endpoint of a declarative configuration ({@link #configure}).
     *
     * @param id           empty for a new endpoint
     * @param rotateSecret give the endpoint a new secret (answered once)
     */
    public record Spec(Optional<String> id, String url, List<String> events, boolean enabled, boolean rotateSecret) {
        public Spec {
            events = List.copyOf(events);
        }
    }

    /** @param path where in the upload, e.g. {@code webhooks[1].url} */
    public record Problem(String path, String code, String message) {
    }

    /** @param action added, removed or changed */
    public record Change(String id, String action, String summary) {
    }

    public sealed interface Result permits Configured, Invalid, RemovalsNotConfirmed {
    }

    /** @param secrets the secret of every endpoint created or rotated, by id: shown once */
    public record Configured(List<WebhookEndpoint> endpoints, Map<String, String> secrets, List<Change> changes)
            implements Result {
        public Configured {
            endpoints = List.copyOf(endpoints);
            secrets = Map.copyOf(secrets);
            changes = List.copyOf(changes);
        }

        @Override
        public String toString() {
            return "Configured[" + endpoints + ", " + changes + "]";
        }
    }

    public record Invalid(List<Problem> problems) implements Result {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    public record RemovalsNotConfirmed(List<Change> removals, List<Change> changes) implements Result {
        public RemovalsNotConfirmed {
            removals = List.copyOf(removals);
            changes = List.copyOf(changes);
        }
    }

    public Created create(String slug, String url, List<String> events) {
        Space space = requireSpace(slug);
        List<String> types = events(events);
        requireValid(url, space.environment(), types);
        if (cp.webhooks(slug).size() >= MAX_PER_SPACE) {
            throw new ControlPlaneException("Space " + slug + " has " + MAX_PER_SPACE + " webhook endpoints already");
        }
        return store(space, url, types);
    }

    /** Changes what is given; the secret stays. */
    public WebhookEndpoint update(String id, Optional<String> url, Optional<List<String>> events,
                                  Optional<Boolean> enabled) {
        WebhookEndpoint e = require(id);
        Space space = requireSpace(e.space());
        String newUrl = url.orElse(e.url());
        List<String> types = events.map(WebhookEndpoints::events).orElse(e.events());
        requireValid(newUrl, space.environment(), types);
        boolean on = enabled.orElse(e.enabled());
        WebhookEndpoint updated = e.with(newUrl, types, on, on ? Optional.empty() : e.disabledReason(), now());
        write(updated);
        return updated;
    }

    public void remove(String id) {
        WebhookEndpoint e = require(id);
        cp.log().write(Topics.CONTROL_WEBHOOKS, e.id(), null);
        log.info("Removed webhook endpoint {} of Space {}", e.id(), e.space());
    }

    /** A new secret for the endpoint; the old one stops signing at once. */
    public Created rotateSecret(String id) {
        WebhookEndpoint e = require(id);
        String secret = newSecret();
        WebhookEndpoint updated = e.withCiphertext(crypto().encrypt(secret, e.id()), now());
        write(updated);
        log.info("Rotated the secret of webhook endpoint {} of Space {}", e.id(), e.space());
        return new Created(updated, secret);
    }

    /** Disables an endpoint for a reason (the sender does on HTTP 410); a disabled endpoint stays so. */
    public void disable(String id, String reason) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        Optional<WebhookEndpoint> e = cp.webhook(id);
        if (e.isEmpty() || !e.get().enabled()) {
            return;
        }
        write(e.get().with(e.get().url(), e.get().events(), false, Optional.of(reason), now()));
        log.info("Disabled webhook endpoint {} of Space {}: {}", id, e.get().space(), reason);
    }

    /**
     * Makes the Space's endpoints those listed: entries with an id change that endpoint, entries
     * without one are new; endpoints not listed are removed, only when {@code allowRemovals}.
     * Everything is checked first; nothing is written unless all of it is valid.
     */
    public Result configure(String slug, List<Spec> specs, boolean allowRemovals) {
        Space space = requireSpace(slug);
        List<WebhookEndpoint> current = cp.webhooks(slug);
        Map<String, WebhookEndpoint> byId = new LinkedHashMap<>();
        current.forEach(e -> byId.put(e.id(), e));
        List<Problem> problems = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            String path = "webhooks[" + i + "]";
            if (s.id().isPresent()) {
                if (!byId.containsKey(s.id().get())) {
                    problems.add(new Problem(path + ".id", "unknown_webhook", "no endpoint " + s.id().get()
                            + " in Space " + slug + " (leave id out to add one)"));
                } else if (!listed.add(s.id().get())) {
                    problems.add(new Problem(path + ".id", "duplicate_key", "endpoint " + s.id().get()
                            + " is listed twice"));
                }
            }
            WebhookUrls.problem(s.url(), space.environment())
                    .ifPresent(p -> problems.add(new Problem(path + ".url", "invalid_url", p)));
            typeProblem(s.events()).ifPresent(p -> problems.add(new Problem(path + ".events", "invalid_events", p)));
        }
        if (specs.size() > MAX_PER_SPACE) {
            problems.add(new Problem("webhooks", "too_many_webhooks", "at most " + MAX_PER_SPACE
                    + " endpoints per Space"));
        }
        if (!problems.isEmpty()) {
            return new Invalid(problems);
        }
        List<Change> changes = new ArrayList<>();
        List<Change> removals = new ArrayList<>();
        for (WebhookEndpoint e : current) {
            if (!listed.contains(e.id())) {
                Change c = new Change(e.id(), "removed", "webhook " + e.id() + " (" + e.url() + ") removed");
                removals.add(c);
                changes.add(c);
            }
        }
        for (Spec s : specs) {
            if (s.id().isEmpty()) {
                changes.add(new Change("", "added", "webhook to " + s.url() + " added"));
            } else {
                WebhookEndpoint e = byId.get(s.id().get());
                List<String> types = events(s.events());
                if (!e.url().equals(s.url()) || !e.events().equals(types) || e.enabled() != s.enabled()
                        || s.rotateSecret()) {
                    changes.add(new Change(e.id(), "changed", "webhook " + e.id() + " changed"
                            + describe(e, s.url(), types, s.enabled(), s.rotateSecret())));
                }
            }
        }
        if (!removals.isEmpty() && !allowRemovals) {
            return new RemovalsNotConfirmed(removals, changes);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        List<Change> done = new ArrayList<>();
        for (Change c : removals) {
            remove(c.id());
        }
        for (Change c : changes) {
            if (c.action().equals("removed")) {
                done.add(c);
            }
        }
        for (Spec s : specs) {
            if (s.id().isEmpty()) {
                Created created = store(space, s.url(), events(s.events()));
                if (!s.enabled()) {
                    update(created.endpoint().id(), Optional.empty(), Optional.empty(), Optional.of(false));
                }
                secrets.put(created.endpoint().id(), created.secret());
                done.add(new Change(created.endpoint().id(), "added", "webhook " + created.endpoint().id() + " to "
                        + s.url() + " added"));
                continue;
            }
            WebhookEndpoint e = byId.get(s.id().get());
            List<String> types = events(s.events());
            boolean changed = !e.url().equals(s.url()) || !e.events().equals(types) || e.enabled() != s.enabled();
            if (changed) {
                update(e.id(), Optional.of(s.url()), Optional.of(types), Optional.of(s.enabled()));
            }
            if (s.rotateSecret()) {
                secrets.put(e.id(), rotateSecret(e.id()).secret());
            }
            if (changed || s.rotateSecret()) {
                done.add(new Change(e.id(), "changed", "webhook " + e.id() + " changed"
                        + describe(e, s.url(), types, s.enabled(), s.rotateSecret())));
            }
        }
        return new Configured(cp.webhooks(slug), secrets, done);
    }

    // ----

    private Created store(Space space, String url, List<String> types) {
        if (cp.webhooks(space.slug()).isEmpty()) {
            ensureDeliveryLog(space.slug());
        }
        String id = SecretKind.WEBHOOK_SECRET.idPrefix() + KeyCrypto.randomBase62(ID_LENGTH);
        String secret = newSecret();
        Instant at = now();
        WebhookEndpoint e = new WebhookEndpoint(id, space.slug(), url, types, true, crypto().encrypt(secret, id), at,
                at, Optional.empty());
        write(e);
        log.info("Added webhook endpoint {} to Space {}", id, space.slug());
        return new Created(e, secret);
    }

    /** The Space's delivery log, with its outcomes topic's partition count (records follow their outcome). */
    private void ensureDeliveryLog(String slug) {
        String outcomes = Topics.OUTCOMES.name(slug);
        int partitions = TopicReadiness.awaitReady(cp.admin(), List.of(outcomes), ControlPlane.CATCH_UP_TIMEOUT)
                .get(outcomes);
        TopicAdmin.ensureSpaceTopic(cp.admin(), Topics.WEBHOOK_DELIVERIES, slug, partitions);
    }

    private static String describe(WebhookEndpoint e, String url, List<String> types, boolean enabled,
                                   boolean rotated) {
        StringBuilder sb = new StringBuilder();
        if (!e.url().equals(url)) {
            sb.append(": url ").append(e.url()).append(" -> ").append(url);
        }
        if (!e.events().equals(types)) {
            sb.append(sb.length() == 0 ? ": " : "; ").append("events ").append(String.join(",", e.events()))
                    .append(" -> ").append(String.join(",", types));
        }
        if (e.enabled() != enabled) {
            sb.append(sb.length() == 0 ? ": " : "; ").append(enabled ? "enabled" : "disabled");
        }
        if (rotated) {
            sb.append(sb.length() == 0 ? ": " : "; ").append("secret rotated");
        }
        return sb.toString();
    }

    private void requireValid(String url, Environment environment, List<String> types) {
        WebhookUrls.problem(url, environment).ifPresent(p -> {
            throw new IllegalArgumentException("Invalid webhook url: " + p);
        });
        typeProblem(types).ifPresent(p -> {
            throw new IllegalArgumentException("Invalid webhook events: " + p);
        });
    }

    /** No list, or an empty one, means every type. */
    static List<String> events(List<String> events) {
        List<String> out = events.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        return out.isEmpty() || out.contains(WebhookEndpoint.ALL_EVENTS) ? List.of(WebhookEndpoint.ALL_EVENTS) : out;
    }

    static Optional<String> typeProblem(List<String> events) {
        for (String t : events) {
            String s = t.trim();
            if (!s.isEmpty() && !s.equals(WebhookEndpoint.ALL_EVENTS) && !TYPE.matcher(s).matches()) {
                return Optional.of("'" + t + "' is not an event key (lowercase and namespaced, like purchase.completed;"
                        + " reward.redeemed and reward.rejected for redemptions) nor *");
            }
        }
        return Optional.empty();
    }

    private void write(WebhookEndpoint e) {
        cp.log().write(Topics.CONTROL_WEBHOOKS, e.id(), ControlJson.webhook(e));
    }

    private WebhookEndpoint require(String id) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        return cp.webhook(id).orElseThrow(() -> new ControlPlaneException("Webhook endpoint '" + id
                + "' does not exist"));
    }

    private Space requireSpace(String slug) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        return cp.space(slug).orElseThrow(() -> new UnknownSpaceException(slug));
    }

    private KeyCrypto crypto() {
        return cp.requireWebhookCrypto();
    }

    /** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(b);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
