package io.perkamo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

class OpenLoopTest {
    static {
        // the JDK server writes headers and body separately: without this, Nagle + delayed ACKs add 40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer server;
    private final Set<String> clientPorts = ConcurrentHashMap.newKeySet();

    private InetSocketAddress serve(long delayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> answer(exchange, delayMillis));
        server.start();
        return new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange, long delayMillis) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().toString());
        exchange.getRequestBody().readAllBytes();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String path = exchange.getRequestURI().getPath();
        byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
        int status = path.startsWith("/fail") ? 500 : 200;
        if (path.startsWith("/chunked")) {
            exchange.sendResponseHeaders(status, 0); // 0: chunked
        } else {
            exchange.sendResponseHeaders(status, body.length);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldCountAnswersWithTheExpectedStatusAndFailTheOthers() throws Exception {
        // given a server that answers 500 on /fail, and every fifth request going there
        InetSocketAddress address = serve(0);

        // when 300 requests are offered, the first 100 as warm-up
        OpenLoop.Result result = OpenLoop.run(address, 4, i -> i % 5 == 0
                        ? OpenLoop.post(address, "/fail", Map.of("content-type", "application/json"),
                                "{}".getBytes(StandardCharsets.UTF_8))
                        : OpenLoop.get(address, i % 2 == 0 ? "/chunked/" + i : "/ok/" + i, Map.of("x-test", "1")),
                200, 300, Duration.ofMillis(667), Duration.ofMillis(333));

        // then the measured 200 split 160 ok / 40 failed, over the few pooled connections
        assertThat(result.sent()).isEqualTo(200);
        assertThat(result.ok()).isEqualTo(160);
        assertThat(result.failed()).isEqualTo(40);
        assertThat(result.p50Ms()).isPositive().isLessThanOrEqualTo(result.p99Ms());
        assertThat(result.p99Ms()).isLessThanOrEqualTo(result.maxMs());
        assertThat(clientPorts).hasSizeBetween(1, 4);
    }

    @Test
    void shouldCountTheWaitForAFreeConnection() throws Exception {
        // given one connection and a server taking 100 ms per request
        InetSocketAddress address = serve(100);

        // when 20 requests are due within one second
        OpenLoop.Result result = OpenLoop.run(address, 1, i -> OpenLoop.get(address, "/ok", Map.of()), 200, 20,
                Duration.ofSeconds(1), Duration.ZERO);

        // then they can only be answered one after the other (2 s at least), and the last one,
        // due at 0.95 s, waited for the 19 before it: its latency counts from its due time
        assertThat(result.ok()).isEqualTo(20);
        assertThat(result.maxMs()).isGreaterThanOrEqualTo(1000.0);
    }

    @Test
    void shouldFailRequestsWhoseConnectionBreaksAndReconnect() throws Exception {
        // given a server that reads each request and closes the connection without an answer
        try (ServerSocket rude = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!rude.isClosed()) {
                    try (Socket s = rude.accept()) {
                        s.getInputStream().read(new byte[4096]);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            InetSocketAddress address = new InetSocketAddress(rude.getInetAddress(), rude.getLocalPort());

            // when
            OpenLoop.Result result = OpenLoop.run(address, 2, i -> OpenLoop.get(address, "/ok", Map.of()), 200, 100,
                    Duration.ofMillis(500), Duration.ZERO);

            // then every request failed, each on a fresh connection
            assertThat(result.sent()).isEqualTo(50);
            assertThat(result.ok()).isZero();
            assertThat(result.failed()).isEqualTo(50);
            assertThat(result.p99Ms()).isNaN();
        }
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = (i + 1) * 1_000_000L; // 1..100 ms
        }

        assertThat(OpenLoop.percentile(sorted, 0.50)).isEqualTo(50.0);
        assertThat(OpenLoop.percentile(sorted, 0.99)).isEqualTo(99.0);
        assertThat(OpenLoop.percentile(sorted, 1.0)).isEqualTo(100.0);
        assertThat(OpenLoop.percentile(new long[] {3_000_000L}, 0.99)).isEqualTo(3.0);
    }
}
