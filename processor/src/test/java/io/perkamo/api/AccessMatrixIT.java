package io.perkamo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.CreatedKey;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.keys.ClientTokens;
import io.perkamo.control.keys.KeyCrypto;
import io.perkamo.local.DemoSpace;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;

/**
 * Every route against every way a credential can be wrong, on a whole instance: each answers
 * the expected 401 or 403 with its code, and no answer or log line ever holds a key, token or
 * secret that was presented or created.
 */
class AccessMatrixIT {
    /** Created before the instance starts, so the instance never rebalances for it. */
    private static final String otherSpace = createdSpace("matrix-other");
    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("matrix", 1).program(DemoSpace.program()).build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final List<String> secrets = new CopyOnWriteArrayList<>();
    private static final Capture logs = new Capture();

    private static String space;
    private static String key;
    private static String otherSpaceKey;
    private static String revokedKey;
    private static String expiredKey;
    private static String onlyRedeemKey;
    private static String onlyEventsKey;
    private static String browserKey;
    private static String browserKeyId;
    private static String serverKeyId;
    private static String token;
    private static String otherSpaceToken;
    private static String revokedBrowserToken;
    private static String expiredBrowserToken;
    private static String streamToken;
    private static CreatedKey signing;
    private static String revokedSigningToken;

    /** A request of the matrix: method, path, body. */
    private record Route(String method, String path, String body) {
        String name() {
            return method + " " + path;
        }
    }

    /** @param body another body than the route's, if any */
    private record Case(String name, int status, String code, Map<String, String> headers, String query,
                        Optional<String> signWith, long signatureAge, Optional<String> body) {
        Case(String name, int status, String code, Map<String, String> headers, String query,
             Optional<String> signWith, long signatureAge) {
            this(name, status, code, headers, query, signWith, signatureAge, Optional.empty());
        }

        Route on(Route route) {
            return body.map(b -> new Route(route.method(), route.path(), b)).orElse(route);
        }
    }

    @BeforeAll
    static void given() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.setContext(root.getLoggerContext());
        logs.start();
        root.addAppender(logs);
        ((Logger) LoggerFactory.getLogger("io.perkamo")).setLevel(Level.DEBUG);

        space = node.space();
        key = node.serverKey();
        ApiKeys keys = new ApiKeys(node.control());
        otherSpaceKey = remember(keys.create(otherSpace, Kind.SERVER, Set.of()));
        CreatedKey revoked = keys.create(space, Kind.SERVER, Set.of());
        revokedKey = remember(revoked);
        keys.revoke(revoked.id());
        CreatedKey expired = keys.create(space, Kind.SERVER, Set.of());
        expiredKey = remember(expired);
        secrets.add(keys.rotate(expired.id(), Instant.EPOCH).created().plaintext());
        onlyRedeemKey = remember(keys.create(space, Kind.SERVER, Set.of("rewards:redeem")));
        onlyEventsKey = remember(keys.create(space, Kind.SERVER, Set.of("events:write")));
        CreatedKey browser = keys.create(space, Kind.BROWSER, Set.of());
        browserKey = remember(browser);
        browserKeyId = browser.id();
        serverKeyId = node.control().keys(space).stream().filter(k -> k.kind() == Kind.SERVER).findFirst()
                .orElseThrow().id();
        secrets.add(key);

        token = mint(key, browserKey, "alice", false);
        streamToken = mint(key, browserKey, "alice", true);
        String otherBrowser = remember(keys.create(otherSpace, Kind.BROWSER, Set.of()));
        otherSpaceToken = mint(otherSpaceKey, otherBrowser, "alice", false);
        CreatedKey toRevoke = keys.create(space, Kind.BROWSER, Set.of());
        revokedBrowserToken = mint(key, remember(toRevoke), "alice", false);
        keys.revoke(toRevoke.id());
        CreatedKey toExpire = keys.create(space, Kind.BROWSER, Set.of());
        expiredBrowserToken = mint(key, remember(toExpire), "alice", false);
        secrets.add(keys.rotate(toExpire.id(), Instant.EPOCH).created().plaintext());
        signing = keys.createSigningKey(browserKeyId, Set.of());
        secrets.add(signing.plaintext());
        CreatedKey revokedSigning = keys.createSigningKey(browserKeyId, Set.of());
        secrets.add(revokedSigning.plaintext());
        revokedSigningToken = ClientTokens.sign(revokedSigning.id(), revokedSigning.plaintext(), claims("alice", 0, 300));
        secrets.add(revokedSigningToken);
        keys.revoke(revokedSigning.id());
        node.control().awaitCaughtUp(Duration.ofSeconds(10));
    }

    @AfterAll
    static void detach() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("io.perkamo")).setLevel(null);
    }

    private static String createdSpace(String prefix) {
        String slug = TestKafka.uniqueSlug(prefix);
        try (io.perkamo.control.ControlPlane cp = io.perkamo.control.ControlPlane.startWithoutMasterKey(
                TestKafka.bootstrapServers())) {
            new SpaceAdmin(cp).create(slug, "test", Optional.empty(), 1);
        }
        return slug;
    }

    private static String remember(CreatedKey k) {
        secrets.add(k.plaintext());
        return k.plaintext();
    }

    private static String mint(String serverKey, String browser, String userId, boolean stream) throws Exception {
        JsonNode minted = ApiClient.of(node.baseUrl(), serverKey).post("/v1/browser-tokens",
                "{\"browser_key\":\"" + browser + "\",\"user_id\":\"" + userId + "\""
                        + (stream ? ",\"purpose\":\"stream\"" : "") + "}", 200);
        String t = minted.path("token").asText();
        secrets.add(t);
        return t;
    }

    private static ClientTokens.Claims claims(String sub, long issuedSecondsAgo, long lifetime) {
        Instant iat = Instant.now().minusSeconds(issuedSecondsAgo);
        return new ClientTokens.Claims("matrix", node.baseUrl() + "/v1/client", sub,
                List.of("profile:read", "events:write"), iat, iat, iat.plusSeconds(lifetime), "jti-" + System.nanoTime());
    }

    private static String signed(String kid, String secret, ClientTokens.Claims claims) {
        String t = ClientTokens.sign(kid, secret, claims);
        secrets.add(t);
        return t;
    }

    private static Map<String, String> apiKey(String k) {
        return Map.of("x-perkamo-api-key", k);
    }

    private static Map<String, String> bearer(String t) {
        return Map.of("authorization", "Bearer " + t);
    }

    // ---- the routes

    private static List<Route> serverRoutes() {
        String event = "{\"user_id\":\"alice\",\"event\":\"lesson.finished\",\"transaction_id\":\"m-1\"}";
        return List.of(
                new Route("POST", "/v1/identify", "{\"user_id\":\"alice\",\"traits\":{}}"),
                new Route("POST", "/v1/events", event),
                new Route("POST", "/v1/events:batch", "{\"events\":[" + event + "]}"),
                new Route("GET", "/v1/customer/alice", null),
                new Route("GET", "/v1/profile/alice", null),
                new Route("GET", "/v1/program", null),
                new Route("POST", "/v1/admin/config/rules", "[]"),
                new Route("GET", "/v1/admin/config/rules", null),
                new Route("POST", "/v1/rewards/redeem", "{\"user_id\":\"alice\",\"reward\":\"coffee\",\"transaction_id\":\"m-2\"}"),
                new Route("GET", "/v1/admin/webhooks/deliveries", null),
                new Route("POST", "/v1/admin/webhooks/deliveries/wd_unknown/resend", "{}"),
                new Route("POST", "/v1/browser-tokens", "{\"browser_key\":\"" + browserKey + "\",\"user_id\":\"alice\"}"),
                new Route("GET", "/v1/admin/keys", null),
                new Route("POST", "/v1/admin/keys", "{\"kind\":\"server\"}"),
                new Route("POST", "/v1/admin/keys/" + serverKeyId + "/revoke", "{}"),
                new Route("POST", "/v1/admin/keys/" + serverKeyId + "/rotate", "{}"),
                new Route("POST", "/v1/admin/keys/" + browserKeyId + "/policy", "{\"allowed_events\":[\"*\"]}"),
                new Route("GET", "/v1/admin/rate-limits", null),
                new Route("POST", "/v1/admin/rate-limits", "{}"));
    }

    private static List<Case> serverCases(Route route) {
        String missingScopeKey = route.path().equals("/v1/rewards/redeem") ? onlyEventsKey : onlyRedeemKey;
        return List.of(
                new Case("no credential", 401, "missing_api_key", Map.of(), "", Optional.empty(), 0),
                new Case("unknown key", 401, "invalid_api_key", apiKey("sk_test_" + KeyCrypto.randomBase62(32)), "",
                        Optional.empty(), 0),
                new Case("revoked key", 401, "invalid_api_key", apiKey(revokedKey), "", Optional.empty(), 0),
                new Case("rotated key past its expiry", 401, "invalid_api_key", apiKey(expiredKey), "",
                        Optional.empty(), 0),
                new Case("key of another Space", 403, "tenant_mismatch", apiKey(otherSpaceKey), "space=" + space,
                        Optional.empty(), 0),
                new Case("tenant mismatch", 403, "tenant_mismatch", apiKey(key), "tenant=" + otherSpace,
                        Optional.empty(), 0),
                new Case("bad signature", 401, "invalid_signature", apiKey(key), "", Optional.of(otherSpaceKey), 0),
                new Case("stale signature", 401, "signature_expired", apiKey(key), "", Optional.of(key), 301),
                new Case("browser key", 403, "forbidden", apiKey(browserKey), "", Optional.empty(), 0),
                new Case("browser token", 403, "forbidden", bearer(token), "", Optional.empty(), 0),
                new Case("missing scope", 403, "insufficient_scope", apiKey(missingScopeKey), "", Optional.empty(), 0));
    }

    private static List<Route> clientRoutes() {
        return List.of(new Route("GET", "/v1/client/customer", null),
                new Route("POST", "/v1/client/events", "{\"event\":\"lesson.finished\",\"transaction_id\":\"m-3\"}"));
    }

    private static List<Case> clientCases(Route route) {
        String noneHeader = b64("{\"alg\":\"none\",\"typ\":\"perkamo.client+jwt\",\"kid\":\"" + browserKeyId + "\"}");
        String payload = token.split("\\.")[1];
        String alice = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + b64(alice.replace("\"alice\"", "\"bob\"")) + "." + parts[2];
        String algNone = noneHeader + "." + payload + ".";
        secrets.add(tampered);
        secrets.add(algNone);
        boolean read = route.method().equals("GET");
        Case otherUser = new Case("token of another user", 403, "user_mismatch", bearer(token),
                read ? "user_id=bob" : "", Optional.empty(), 0, read ? Optional.empty()
                        : Optional.of("{\"user_id\":\"bob\",\"event\":\"lesson.finished\",\"transaction_id\":\"m-4\"}"));
        return List.of(otherUser,
                new Case("no credential", 401, "missing_token", Map.of(), "", Optional.empty(), 0),
                new Case("token in the query (stream only)", 401, "missing_token", Map.of(), "token=" + token,
                        Optional.empty(), 0),
                new Case("unknown kid", 401, "unknown_kid", bearer(signed("key_" + KeyCrypto.randomBase62(16),
                        KeyCrypto.randomBase62(43), claims("alice", 0, 300))), "", Optional.empty(), 0),
                new Case("revoked browser key", 401, "unknown_kid", bearer(revokedBrowserToken), "", Optional.empty(), 0),
                new Case("browser key rotated past its expiry", 401, "unknown_kid", bearer(expiredBrowserToken), "",
                        Optional.empty(), 0),
                new Case("revoked signing key", 401, "unknown_kid", bearer(revokedSigningToken), "", Optional.empty(), 0),
                new Case("token of another Space", 403, "tenant_mismatch", bearer(otherSpaceToken), "space=" + space,
                        Optional.empty(), 0),
                new Case("tenant mismatch", 403, "tenant_mismatch", bearer(token), "tenant=" + otherSpace,
                        Optional.empty(), 0),
                new Case("bad signature", 401, "invalid_token", bearer(signed(browserKeyId, KeyCrypto.randomBase62(43),
                        claims("alice", 0, 300))), "", Optional.empty(), 0),
                new Case("server key", 403, "forbidden", apiKey(key), "", Optional.empty(), 0),
                new Case("server key with a token", 403, "forbidden", Map.of("x-perkamo-api-key", key,
                        "authorization", "Bearer " + token), "", Optional.empty(), 0),
                new Case("browser key", 403, "forbidden", apiKey(browserKey), "", Optional.empty(), 0),
                new Case("expired token", 401, "token_expired", bearer(signed(signing.id(), signing.plaintext(),
                        claims("alice", 400, 300))), "", Optional.empty(), 0),
                new Case("token not valid yet", 401, "token_not_yet_valid", bearer(signed(signing.id(),
                        signing.plaintext(), claims("alice", -120, 300))), "", Optional.empty(), 0),
                new Case("alg none", 401, "token_algorithm_not_allowed", bearer(algNone), "", Optional.empty(), 0),
                new Case("wrong kid (a server key's id)", 401, "unknown_kid", bearer(signed(serverKeyId,
                        signing.plaintext(), claims("alice", 0, 300))), "", Optional.empty(), 0),
                new Case("tampered payload", 401, "invalid_token", bearer(tampered), "", Optional.empty(), 0),
                new Case("wrong audience", 401, "invalid_audience", bearer(signed(signing.id(), signing.plaintext(),
                        new ClientTokens.Claims("matrix", "https://elsewhere.example/v1/client", "alice",
                                List.of("profile:read", "events:write"), Instant.now(), Instant.now(),
                                Instant.now().plusSeconds(60), "j"))), "", Optional.empty(), 0),
                new Case("lifetime over the key's maximum", 401, "token_lifetime_too_long", bearer(signed(signing.id(),
                        signing.plaintext(), claims("alice", 0, 3600))), "", Optional.empty(), 0),
                new Case("missing scope (a stream token)", 403, "insufficient_scope", bearer(streamToken), "",
                        Optional.empty(), 0));
    }

    // ---- the checks

    @Test
    void everyServerRouteShouldRefuseEveryWrongCredentialWithItsCode() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Route route : serverRoutes()) {
            for (Case c : serverCases(route)) {
                check(wrong, route, c);
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(19 * 11);
    }

    @Test
    void everyClientRouteShouldRefuseEveryWrongCredentialWithItsCode() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Route route : clientRoutes()) {
            for (Case c : clientCases(route)) {
                check(wrong, route, c);
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(2 * 21);
    }

    @Test
    void theRightCredentialsShouldPassOnTheClientRoutes() throws Exception {
        HttpResponse<String> events = send(new Route("POST", "/v1/client/events",
                "{\"event\":\"lesson.finished\",\"transaction_id\":\"ok-1\"}"), bearer(token), "", Optional.empty(), 0);
        assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
        HttpResponse<String> customer = send(new Route("GET", "/v1/client/customer", null), bearer(token), "",
                Optional.empty(), 0);
        assertThat(customer.statusCode()).as(customer.body()).isEqualTo(200);
        assertThat(ApiClient.json(customer).path("user_id").asText()).isEqualTo("alice");
        HttpResponse<String> selfSigned = send(new Route("GET", "/v1/client/customer", null),
                bearer(signed(signing.id(), signing.plaintext(), claims("alice", 0, 300))), "", Optional.empty(), 0);
        assertThat(selfSigned.statusCode()).as(selfSigned.body()).isEqualTo(200);
        HttpResponse<String> legacy = send(new Route("GET", "/v1/client/customer", null),
                bearer(signed(browserKey, signing.plaintext(), claims("alice", 0, 300))), "", Optional.empty(), 0);
        assertThat(legacy.statusCode()).as("the legacy kid = pk_... form: " + legacy.body()).isEqualTo(200);
        assertClean(List.of(events, customer, selfSigned, legacy));
    }

    @Test
    void noAnswerOrLogLineShouldHoldAKeyTokenOrSecret() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Route route : serverRoutes()) {
            for (Case c : serverCases(route)) {
                answers.add(send(c.on(route), c.headers(), c.query(), c.signWith(), c.signatureAge()));
            }
        }
        for (Route route : clientRoutes()) {
            for (Case c : clientCases(route)) {
                answers.add(send(c.on(route), c.headers(), c.query(), c.signWith(), c.signatureAge()));
            }
        }
        assertClean(answers);
        assertThat(logs.lines).as("log lines were captured").isNotEmpty();
        for (String line : logs.lines) {
            for (String secret : secrets) {
                assertThat(line).as("a log line").doesNotContain(secret);
            }
        }
    }

    private static void assertClean(List<HttpResponse<String>> answers) {
        for (HttpResponse<String> a : answers) {
            String all = a.body() + " " + a.headers().map();
            for (String secret : secrets) {
                assertThat(all).as("answer %s %s", a.request().method(), a.uri().getPath()).doesNotContain(secret);
            }
        }
    }

    /** Adds a line to {@code wrong} unless the answer has the case's status, code and a request id. */
    private static void check(List<String> wrong, Route route, Case c) throws Exception {
        HttpResponse<String> a = send(c.on(route), c.headers(), c.query(), c.signWith(), c.signatureAge());
        JsonNode body = ApiClient.json(a);
        if (a.statusCode() != c.status() || !body.path("code").asText().equals(c.code())
                || !body.path("request_id").asText().matches("req_[0-9A-Za-z]{24}")) {
            wrong.add(route.name() + " with " + c.name() + ": expected " + c.status() + " " + c.code() + ", got "
                    + a.statusCode() + " " + a.body());
        }
    }

    private static HttpResponse<String> send(Route route, Map<String, String> headers, String query,
                                             Optional<String> signWith, long signatureAge) throws Exception {
        String path = route.path() + (query.isEmpty() ? "" : "?" + query);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        Map<String, String> h = new LinkedHashMap<>(headers);
        byte[] body = route.body() == null ? new byte[0] : route.body().getBytes(StandardCharsets.UTF_8);
        if (route.body() != null) {
            h.put("content-type", "application/json");
        }
        signWith.ifPresent(signer -> {
            String ts = Long.toString(Instant.now().getEpochSecond() - signatureAge);
            h.put("x-perkamo-timestamp", ts);
            h.put("x-perkamo-signature", Signatures.sign(signer, ts, route.method(), route.path(), body));
        });
        h.forEach(b::header);
        b.method(route.method(), route.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Every log line of the test JVM while the class runs, with stack traces. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            String line = e.getLoggerName() + " " + e.getFormattedMessage();
            if (e.getThrowableProxy() != null) {
                line += " " + ThrowableProxyUtil.asString(e.getThrowableProxy());
            }
            lines.add(line);
        }
    }
}
