package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.perkamo.testing.Eventually;

class ProtocolIT {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldAnswerJson404ForUnknownRoutesAndNoRedirects() {
        assertError(api.sdkGet(TestApi.KEY, "/v1/nothing-here"), 404, "not_found");
        assertError(api.sdkGet(TestApi.KEY, "/"), 404, "not_found");
        TestApi.Answer slash = api.sdkGet(TestApi.KEY, "/v1/program/");
        assertThat(slash.status() / 100).isNotEqualTo(3);
        assertError(slash, 404, "not_found");
    }

    @Test
    void shouldAnswerJson405ForAWrongMethod() {
        assertError(api.sdkGet(TestApi.KEY, "/v1/events"), 405, "method_not_allowed");
        assertError(api.sdkGet(TestApi.KEY, "/v1/events:batch"), 405, "method_not_allowed");
        assertError(api.send("DELETE", "/v1/program", null, Map.of()), 405, "method_not_allowed");
    }

    @Test
    void shouldRouteThePathWithAColonToTheBatchHandler() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events:batch", "{\"events\":[]}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("results").isArray()).isTrue();
    }

    @Test
    void shouldAnswerJson413ForBodiesOverTheLimit() {
        byte[] big = ("{\"user_id\":\"u\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        TestApi.Answer a = api.send("POST", "/v1/events", big,
                Map.of("x-perkamo-api-key", TestApi.KEY, "content-type", "application/json"));
        assertError(a, 413, "payload_too_large");
    }

    @Test
    void shouldAnswerJson501ForRoutesOfLaterIssues() {
        assertError(api.sdkGet(TestApi.KEY, "/v1/usage"), 501, "not_implemented");
        assertError(api.send("GET", "/v1/client/stream", null, Map.of()), 501, "not_implemented");
    }

    @Test
    void shouldGiveEveryResponseItsOwnRequestIdIgnoringTheClients() {
        TestApi.Answer a = api.send("GET", "/health/live", null, Map.of("x-perkamo-request-id", "req_forged"));
        TestApi.Answer b = api.send("GET", "/health/live", null, Map.of());
        assertThat(a.header("x-perkamo-request-id")).matches("req_[0-9A-Za-z]{24}").isNotEqualTo("req_forged");
        assertThat(b.header("x-perkamo-request-id")).matches("req_[0-9A-Za-z]{24}")
                .isNotEqualTo(a.header("x-perkamo-request-id"));
        assertThat(api.send("GET", "/metrics", null, Map.of()).header("x-perkamo-request-id")).isNotNull();
    }

    @Test
    void shouldReportLivenessAndReadiness() {
        assertThat(api.send("GET", "/health/live", null, Map.of()).status()).isEqualTo(200);
        assertThat(api.send("GET", "/health/ready", null, Map.of()).status()).isEqualTo(200);
        api.ready = false;
        try {
            TestApi.Answer a = api.send("GET", "/health/ready", null, Map.of());
            assertError(a, 503, "not_ready");
            assertThat(a.json().path("detail").asText()).contains("REBALANCING");
            assertThat(api.send("GET", "/health/live", null, Map.of()).status()).isEqualTo(200);
        } finally {
            api.ready = true;
        }
    }

    @Test
    void shouldExposeHttpTimersByRouteTemplateInPrometheusFormat() {
        api.sdkGet(TestApi.KEY, "/v1/customer/metrics-user");
        api.sdkGet(TestApi.KEY, "/v1/program");
        TestApi.Answer m = api.send("GET", "/metrics", null, Map.of());
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.header("content-type")).startsWith("text/plain");
        assertThat(m.body()).contains("http_server_requests_seconds_count");
        assertThat(m.body()).contains("route=\"/v1/customer/{user_id}\"");
        assertThat(m.body()).contains("route=\"/v1/program\"");
        assertThat(m.body()).doesNotContain("metrics-user");
    }

    @Test
    void shouldWriteOneAccessLineWithoutKeySignatureOrBody() throws InterruptedException {
        Logger access = (Logger) LoggerFactory.getLogger("perkamo.access");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        access.addAppender(appender);
        try {
            String body = "{\"user_id\":\"log-user\",\"event\":\"purchase.completed\",\"transaction_id\":\"secret-tx\","
                    + "\"context\":{\"card\":\"4111\"}}";
            TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", body);
            String id = a.header("x-perkamo-request-id");
            // the access line may be written after the client has its answer
            Eventually.holdsWithin(Duration.ofSeconds(10),
                    () -> appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains(id)));
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(l -> l.contains(id)).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("POST", "/v1/events", "200");
            String all = String.join("\n", appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertThat(all).doesNotContain(TestApi.KEY, "v1=", "4111", "secret-tx", "log-user");
        } finally {
            access.detachAppender(appender);
        }
    }

    @Test
    void shouldNameThePortWhenItIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            ApiServer.Config config = new ApiServer.Config(taken.getLocalPort(), "", java.time.Duration.ofSeconds(1),
                    1024, api.clock);
            ApiServer server = new ApiServer(config, api.keys, api.validator, api.gateway, api.profiles, api.programs,
                    () -> true, api.registry);
            org.assertj.core.api.Assertions.assertThatThrownBy(server::start)
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
    }

    /** Raw HTTP/1.1 over a socket: java.net.http refuses to send such requests. */
    private static TestApi.Answer raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("localhost", api.server.port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String[] head = response.substring(0, split).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        head[i].substring(colon + 1).trim());
            }
            return new TestApi.Answer(Integer.parseInt(head[0].split(" ")[1]), headers, response.substring(split + 4));
        }
    }

    @Test
    void shouldAnswerJsonEvenForRequestsJettyRefusesBeforeRouting() throws Exception {
        assertError(raw("GET /v1/profile/bad%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "bad_request");
        assertError(raw("GET /v1/profile/%C3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "bad_request");
        assertError(raw("GET /v1/program HTTP/1.1\r\nHost: x\r\nx-big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431, "headers_too_large");
    }

    @Test
    void shouldReadAChunkedBodyOfExactlyTheLimitWholeAndRefuseOneByteMore() throws Exception {
        String head = "{\"user_id\":\"chunked\",\"event\":\"lesson.finished\",\"transaction_id\":\"chunked-1\","
                + "\"pad\":\"";
        String tail = "\"}";
        String atLimit = head + "x".repeat(64 * 1024 - head.length() - tail.length()) + tail;

        TestApi.Answer whole = raw(chunked("/v1/events", atLimit, 1000));
        TestApi.Answer over = raw(chunked("/v1/events", atLimit + " ", 1000));

        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        assertThat(whole.json().path("transaction_id").asText()).isEqualTo("chunked-1");
        assertError(over, 413, "payload_too_large");
    }

    @Test
    void shouldReadABodyOfADeclaredLengthAndGetsWithoutOne() {
        TestApi.Answer post = api.sdkPost(TestApi.KEY, "/v1/events",
                "{\"user_id\":\"sized\",\"event\":\"lesson.finished\",\"transaction_id\":\"sized-1\"}");
        TestApi.Answer empty = api.send("POST", "/v1/events", new byte[0],
                Map.of("x-perkamo-api-key", TestApi.KEY, "content-type", "application/json"));

        assertThat(post.status()).as(post.body()).isEqualTo(200);
        assertError(empty, 400, "invalid_json");
        assertThat(api.sdkGet(TestApi.KEY, "/v1/program").status()).isEqualTo(200);
    }

    private static String chunked(String path, String body, int chunkSize) {
        StringBuilder sb = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\nx-perkamo-api-key: "
                + TestApi.KEY + "\r\ncontent-type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n");
        for (int at = 0; at < body.length(); at += chunkSize) {
            String chunk = body.substring(at, Math.min(body.length(), at + chunkSize));
            sb.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    @Test
    void shouldAnswer413ForChunkedBodiesOverTheLimit() throws Exception {
        String chunk = "a".repeat(70_000);
        assertError(raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nx-perkamo-api-key: " + TestApi.KEY
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(chunk.length())
                + "\r\n" + chunk + "\r\n0\r\n\r\n"), 413, "payload_too_large");
    }
}
