package io.perkamo.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** A started ApiServer on a free port with fakes behind it, and an HTTP client for it. */
final class TestApi implements AutoCloseable {
    static final String SPACE = "demo-test";
    static final String KEY = "sk_test_demo_0123456789";
    static final String OTHER_SPACE_KEY = "sk_test_other_0123456789";
    static final String BROWSER_KEY = "pk_test_demo_0123456789";
    static final String READ_ONLY_KEY = "sk_test_readonly_0123456789";
    static final String SIGNED_ONLY_KEY = "sk_test_signed_0123456789";
    static final String CLUSTER_SECRET = "cluster-secret-for-tests";
    static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    final Fakes.Keys keys = new Fakes.Keys()
            .add(KEY, Fakes.server("key_demo", SPACE))
            .add(OTHER_SPACE_KEY, Fakes.server("key_other", "other-test"))
            .add(READ_ONLY_KEY, Fakes.server("key_ro", SPACE, ApiCaller.Scopes.CUSTOMER_READ))
            .add(BROWSER_KEY, new ApiCaller("key_pk", SPACE, "test", ApiCaller.Kind.BROWSER,
                    java.util.Set.of(), false))
            .add(SIGNED_ONLY_KEY, new ApiCaller("key_signed", SPACE, "test", ApiCaller.Kind.SERVER,
                    ApiCaller.Scopes.ALL, true));
    final Fakes.Validator validator = new Fakes.Validator();
    final Fakes.Gateway gateway = new Fakes.Gateway();
    final Fakes.Profiles profiles = new Fakes.Profiles();
    final Fakes.Programs programs = new Fakes.Programs();
    final Fakes.Access access = new Fakes.Access();
    final Fakes.MutableClock clock = new Fakes.MutableClock(NOW);
    final Fakes.RateLimits rateLimits = new Fakes.RateLimits();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    volatile boolean ready = true;
    final ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    TestApi() {
        this(Duration.ofSeconds(5), 64 * 1024);
    }

    TestApi(Duration ingestTimeout, long maxBodyBytes) {
        this(null, ingestTimeout, maxBodyBytes);
    }

    /** With the real shared validation (schemas' InputParser) instead of the fake. */
    static TestApi withSharedValidation() {
        return new TestApi(new SchemasInputValidator(), Duration.ofSeconds(5), 64 * 1024);
    }

    private TestApi(InputValidator realValidator, Duration ingestTimeout, long maxBodyBytes) {
        ApiServer.Config config = new ApiServer.Config(0, CLUSTER_SECRET, ingestTimeout, maxBodyBytes, clock);
        server = new ApiServer(config, keys, realValidator == null ? validator : realValidator, gateway, profiles, programs,
                java.util.Optional.empty(), new Readiness() {
            @Override
            public boolean ready() {
                return ready;
            }

            @Override
            public String detail() {
                return ready ? "streams RUNNING" : "streams REBALANCING";
            }
        }, registry, access, KeyAdmin.NONE, rateLimits).start();
    }

    String base() {
        return "http://localhost:" + server.port();
    }

    /** A response with its body parsed when it is JSON. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    Answer send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> h = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            return new Answer(r.statusCode(), h, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST as the PHP SDK does it: api key, content-type, timestamp and v1 signature. */
    Answer sdkPost(String key, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(clock.instant().getEpochSecond());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("accept", "application/json");
        h.put("x-perkamo-api-key", key);
        h.put("content-type", "application/json");
        h.put("x-perkamo-timestamp", ts);
        h.put("x-perkamo-signature", Signatures.sign(key, ts, "POST", path, bytes));
        return send("POST", path, bytes, h);
    }

    /** GET as the PHP SDK does it: api key only, unsigned. */
    Answer sdkGet(String key, String path) {
        return send("GET", path, null, Map.of("accept", "application/json", "x-perkamo-api-key", key));
    }

    /** POST with a key and no signature (curl style). */
    Answer post(String key, String path, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (key != null) {
            h.put("x-perkamo-api-key", key);
        }
        h.put("content-type", "application/json");
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8), h);
    }

    static String fixture(String name) {
        try (InputStream in = TestApi.class.getResourceAsStream("/api/php-sdk/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // fixtures are stored as one line, exactly as json_encode writes them
            return text.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
