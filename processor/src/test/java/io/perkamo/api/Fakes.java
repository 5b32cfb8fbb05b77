package io.perkamo.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.codec.OutcomeCodec;
import io.perkamo.core.fold.LevelView;
import io.perkamo.core.fold.Outcome;
import io.perkamo.core.fold.Unlock;
import io.perkamo.core.fold.WalletAmount;
import io.perkamo.schemas.input.CanonicalJson;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.Problem;

/** Test doubles of the interfaces the API talks through. */
final class Fakes {
    private Fakes() {
    }

    /** Keys by value, compared in constant time like the real directory must. */
    static final class Keys implements KeyDirectory {
        private final Map<String, ApiCaller> byKey = new ConcurrentHashMap<>();

        Keys add(String key, ApiCaller caller) {
            byKey.put(key, caller);
            return this;
        }

        @Override
        public Optional<ApiCaller> resolve(String presentedKey) {
            byte[] presented = presentedKey.getBytes(StandardCharsets.UTF_8);
            ApiCaller found = null;
            for (Map.Entry<String, ApiCaller> e : byKey.entrySet()) {
                if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.UTF_8), presented)) {
                    found = e.getValue();
                }
            }
            return Optional.ofNullable(found);
        }
    }

    static ApiCaller server(String keyId, String space, String... scopes) {
        return new ApiCaller(keyId, space, "test", ApiCaller.Kind.SERVER,
                scopes.length == 0 ? ApiCaller.Scopes.ALL : java.util.Set.of(scopes), false);
    }

    /**
     * A stand-in for the shared validation until schemas' InputParser lands: just enough rules to
     * build Inputs from SDK-shaped bodies; {@link #override} scripts any problem list.
     */
    static final class Validator implements InputValidator {
        volatile Function<JsonNode, Optional<List<Problem>>> override = body -> Optional.empty();

        @Override
        public Result parse(Kind kind, JsonNode body, Instant receivedAt) {
            Optional<List<Problem>> scripted = override.apply(body);
            if (scripted.isPresent()) {
                return new Invalid(scripted.get());
            }
            List<Problem> problems = new ArrayList<>();
            String userId = text(body, "user_id");
            if (userId == null || userId.isEmpty()) {
                problems.add(new Problem(ErrorCodes.INVALID_USER_ID, "user_id", "user_id is required"));
            }
            Instant occurredAt = receivedAt;
            if (body.hasNonNull("occurred_at")) {
                try {
                    occurredAt = OffsetDateTime.parse(body.get("occurred_at").asText()).toInstant();
                } catch (DateTimeParseException e) {
                    problems.add(new Problem(ErrorCodes.INVALID_OCCURRED_AT, "occurred_at", "not ISO-8601"));
                }
            }
            if (kind == Kind.IDENTIFY) {
                ObjectNode traits = objectOrEmptyArray(body.get("traits"));
                if (traits == null) {
                    problems.add(new Problem(ErrorCodes.INVALID_TRAITS, "traits", "traits must be an object"));
                }
                return problems.isEmpty()
                        ? new Valid(new Input.Identify(userId, Optional.ofNullable(text(body, "transaction_id")),
                        traits, occurredAt))
                        : new Invalid(problems);
            }
            String event = text(body, "event");
            if (event == null || !event.matches("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")) {
                problems.add(new Problem(ErrorCodes.INVALID_EVENT, "event", "event must be namespaced"));
            }
            String tx = text(body, "transaction_id");
            if (tx == null || tx.isEmpty()) {
                problems.add(new Problem(ErrorCodes.INVALID_TRANSACTION_ID, "transaction_id",
                        "transaction_id is required"));
            }
            ObjectNode context = objectOrEmptyArray(body.get("context"));
            if (context == null) {
                problems.add(new Problem(ErrorCodes.INVALID_CONTEXT, "context", "context must be an object"));
            }
            return problems.isEmpty() ? new Valid(new Input.Event(userId, tx, event, context, occurredAt))
                    : new Invalid(problems);
        }

        private static String text(JsonNode body, String field) {
            JsonNode v = body.get(field);
            return v != null && v.isTextual() ? v.asText() : null;
        }

        private static ObjectNode objectOrEmptyArray(JsonNode v) {
            if (v == null || v.isNull() || v.isArray() && v.isEmpty()) {
                return Json.object();
            }
            return v.isObject() ? (ObjectNode) v : null;
        }
    }

    /**
     * A processor in miniature: dedup by (space, user, transaction_id) with a payload
     * fingerprint; new events earn 10 points; a redemption of a reward in {@link #rewards}
     * debits its cost or is rejected ({@code unknown_reward}, {@code insufficient_balance}), and
     * a rejection is recorded like any decision. {@link #stall} makes it never answer. A request
     * id (correlation tag) seen before is refused, as the Kafka gateway refuses one in flight.
     */
    static final class Gateway implements IngestGateway {
        final List<Input> submitted = new CopyOnWriteArrayList<>();
        final List<String> requestIds = new CopyOnWriteArrayList<>();
        private final Map<String, Outcome> decided = new ConcurrentHashMap<>();
        private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
        private final Map<String, Long> balances = new ConcurrentHashMap<>();
        /** Reward key to its cost in points. */
        final Map<String, Long> rewards = new ConcurrentHashMap<>(Map.of("coffee", 30L));
        volatile boolean stall;

        @Override
        public CompletableFuture<io.perkamo.schemas.avro.Outcome> submit(String space, Input input, String requestId) {
            // like the Kafka gateway, outcomes are matched by the tag: a reused one cannot be answered
            if (requestIds.contains(requestId)) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("request id " + requestId + " is already waiting for an outcome"));
            }
            submitted.add(input);
            requestIds.add(requestId);
            if (stall) {
                return new CompletableFuture<>();
            }
            return CompletableFuture.supplyAsync(() -> OutcomeCodec.toAvro(decide(space, input)));
        }

        private synchronized Outcome decide(String space, Input input) {
            String user = space + "/" + input.userId();
            String key = user + "/" + input.transactionId().orElse("");
            String fingerprint = fingerprint(input);
            if (input.transactionId().isPresent() && decided.containsKey(key)) {
                Outcome original = decided.get(key);
                if (!fingerprints.get(key).equals(fingerprint)) {
                    return outcome(input, Outcome.Status.REJECTED, original.reason(), false, false, original.delta(),
                            original.unlocked(), balances.getOrDefault(user, 0L),
                            Optional.of(new Outcome.ErrorInfo(ErrorCodes.IDEMPOTENCY_CONFLICT,
                                    "transaction_id reused with a different payload")));
                }
                Outcome.Status status = input instanceof Input.Redemption ? original.status() : Outcome.Status.DUPLICATE;
                return outcome(input, status, original.reason(), false, true, original.delta(), original.unlocked(),
                        balances.getOrDefault(user, 0L), Optional.empty());
            }
            long earned = input instanceof Input.Event ? 10 : 0;
            Outcome.Status status = Outcome.Status.APPLIED;
            Optional<String> reason = Optional.empty();
            if (input instanceof Input.Redemption redemption) {
                Long cost = rewards.get(redemption.reward());
                if (cost == null) {
                    reason = Optional.of("unknown_reward");
                } else if (balances.getOrDefault(user, 0L) < cost) {
                    reason = Optional.of("insufficient_balance");
                } else {
                    earned = -cost;
                }
                status = reason.isEmpty() ? Outcome.Status.REDEEMED : Outcome.Status.REJECTED;
            }
            long balance = balances.merge(user, earned, Long::sum);
            List<WalletAmount> delta = earned == 0 ? List.of() : List.of(new WalletAmount("points", earned));
            List<Unlock> unlocked = status == Outcome.Status.REDEEMED
                    ? List.of(new Unlock(Unlock.Type.REWARD, ((Input.Redemption) input).reward(), "Free coffee"))
                    : List.of();
            Outcome r = outcome(input, status, reason, reason.isEmpty(), false, delta, unlocked, balance,
                    Optional.empty());
            if (input.transactionId().isPresent()) {
                decided.put(key, r);
                fingerprints.put(key, fingerprint);
            }
            return r;
        }

        private static Outcome outcome(Input input, Outcome.Status status, Optional<String> reason, boolean applied,
                                       boolean duplicate, List<WalletAmount> delta, List<Unlock> unlocked,
                                       long balance, Optional<Outcome.ErrorInfo> error) {
            Optional<String> event = input instanceof Input.Event e ? Optional.of(e.event()) : Optional.empty();
            Optional<String> reward = input instanceof Input.Redemption r ? Optional.of(r.reward()) : Optional.empty();
            LevelView level = new LevelView("points", 1, null, balance, 0, Optional.of(100L), balance / 100.0);
            return new Outcome(input.userId(), input.kind(), input.transactionId(), event, reward, input.occurredAt(),
                    1, status, reason, applied, duplicate, delta, false, unlocked, Map.of("points", balance),
                    Optional.of(level), List.of(), error);
        }

        private static String fingerprint(Input input) {
            if (input instanceof Input.Event e) {
                return e.event() + "|" + CanonicalJson.write(e.context());
            }
            if (input instanceof Input.Identify i) {
                return "identify|" + CanonicalJson.write(i.traits());
            }
            if (input instanceof Input.Redemption r) {
                return "redeem|" + r.reward() + "|" + CanonicalJson.write(r.context());
            }
            return input.toString();
        }
    }

    static final class Profiles implements ProfileQuery {
        final Map<String, Lookup> lookups = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile Lookup fallback = new Local(Optional.empty());

        Profiles put(String space, String userId, Lookup lookup) {
            lookups.put(space + "\n" + userId, lookup);
            return this;
        }

        @Override
        public Lookup lookup(String space, String userId) {
            asked.add(space + "\n" + userId);
            return lookups.getOrDefault(space + "\n" + userId, fallback);
        }
    }

    static final class Programs implements ProgramConfig {
        final Map<String, ObjectNode> active = new ConcurrentHashMap<>();
        final Map<String, JsonNode> modules = new ConcurrentHashMap<>();
        volatile List<ConfigProblem> problems = List.of();
        long version = 1;

        @Override
        public Optional<ObjectNode> active(String space) {
            return Optional.ofNullable(active.get(space));
        }

        @Override
        public synchronized ConfigResult update(String space, String module, JsonNode body, PublishOptions options) {
            if (!problems.isEmpty()) {
                return new Invalid(problems);
            }
            modules.put(space + "/" + module, body);
            return new Published(++version, options.effectiveAt().orElse(Instant.EPOCH), List.of());
        }

        @Override
        public Optional<JsonNode> get(String space, String module) {
            return Optional.ofNullable(modules.get(space + "/" + module));
        }
    }

    /** A clock tests can move. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * Browser tokens in miniature: a minted token is {@code fake.<user>.<n>} and verifies as a
     * caller of the minting key's Space with the scopes asked; {@link #callers} scripts others.
     */
    static final class Access implements ClientAccess {
        final List<String> minted = new CopyOnWriteArrayList<>();
        final Map<String, ClientCaller> callers = new ConcurrentHashMap<>();
        volatile java.util.function.Predicate<String> origins = o -> o.startsWith("http://localhost:");

        @Override
        public MintResult mint(ApiCaller server, String browserKey, String userId, java.util.OptionalInt ttlSeconds,
                               boolean stream) {
            if (!browserKey.startsWith("pk_")) {
                return new MintRefused(MintRefusal.UNKNOWN_BROWSER_KEY, "not a browser key");
            }
            String token = "fake." + userId + "." + minted.size();
            minted.add(browserKey + "|" + userId + "|" + ttlSeconds + "|" + stream);
            List<String> scopes = stream ? List.of("stream:read") : List.of("profile:read", "events:write");
            int ttl = ttlSeconds.orElse(900);
            callers.put(token, caller(server.space(), userId, java.util.Set.copyOf(scopes), "*"));
            return new Minted(token, Instant.parse("2026-06-01T10:00:00Z").plusSeconds(ttl), ttl, scopes);
        }

        @Override
        public Verification verify(String token) {
            ClientCaller c = callers.get(token);
            return c == null ? new Refused(TokenRefusal.UNKNOWN_KID, "unknown") : new Verified(c);
        }

        @Override
        public boolean anyKeyAllowsOrigin(String origin) {
            return origins.test(origin);
        }

        ClientCaller caller(String space, String userId, java.util.Set<String> scopes, String allowedEvent) {
            return new ClientCaller(space, "test", userId, "key_pk", Optional.empty(), scopes,
                    Instant.parse("2026-06-01T10:15:00Z"), "pbt_x", new ClientCaller.Policy() {
                        @Override
                        public boolean allowsOrigin(String origin) {
                            return origins.test(origin);
                        }

                        @Override
                        public boolean allowsEvent(String event) {
                            return allowedEvent.equals("*") || allowedEvent.equals(event);
                        }
                    });
        }
    }

    /** Rate limits per Space, at the defaults until a test sets its own. */
    static final class RateLimits implements RateLimitConfig {
        final Map<String, Map<Subject, Integer>> own = new ConcurrentHashMap<>();

        @Override
        public Limits limits(String space) {
            return DEFAULTS.with(own.getOrDefault(space, Map.of()));
        }

        @Override
        public java.util.Set<Subject> own(String space) {
            return java.util.Set.copyOf(own.getOrDefault(space, Map.of()).keySet());
        }

        @Override
        public Optional<String> update(String space, Map<Subject, java.util.OptionalInt> changes) {
            Map<Subject, Integer> next = new java.util.EnumMap<>(Subject.class);
            next.putAll(own.getOrDefault(space, Map.of()));
            changes.forEach((k, v) -> {
                if (v.isPresent()) {
                    next.put(k, v.getAsInt());
                } else {
                    next.remove(k);
                }
            });
            own.put(space, next);
            return Optional.empty();
        }
    }
}
