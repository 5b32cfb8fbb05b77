package io.perkamo.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on loopback (the JDK's HttpServer): each path answers as told (2xx,
 * fail N times then succeed, hang, redirect, 410) and records every request it got.
 */
final class TestReceiver implements AutoCloseable {

    /** One request as received; header names in lower case. */
    record Received(String path, Map<String, String> headers, String body, int answered) {
        String header(String name) {
            return headers.get(name);
        }

        String delivery() {
            return header("x-perkamo-delivery");
        }

        int attempt() {
            return Integer.parseInt(header("x-perkamo-attempt"));
        }
    }

    /** How a path answers the nth request (1-based) of one delivery id. */
    interface Behaviour {
        Answer answer(int nth) throws InterruptedException;
    }

    record Answer(int status, Map<String, String> headers) {
    }

    static Behaviour ok() {
        return n -> new Answer(200, Map.of());
    }

    static Behaviour failing(int times, int status) {
        return n -> new Answer(n <= times ? status : 204, Map.of());
    }

    static Behaviour hanging(long millis) {
        return n -> {
            Thread.sleep(millis);
            return new Answer(200, Map.of());
        };
    }

    static Behaviour redirecting(String location) {
        return n -> new Answer(302, Map.of("Location", location));
    }

    static Behaviour gone() {
        return n -> new Answer(410, Map.of());
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-receiver");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> perDelivery = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    private TestReceiver(HttpServer server) {
        this.server = server;
    }

    static TestReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        TestReceiver receiver = new TestReceiver(server);
        server.setExecutor(receiver.threads);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    TestReceiver on(String path, Behaviour behaviour) {
        behaviours.put(path, behaviour);
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Requests to {@code path} not answered yet. */
    int open(String path) {
        return open.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        AtomicInteger openHere = open.computeIfAbsent(path, p -> new AtomicInteger());
        openHere.incrementAndGet();
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String delivery = headers.getOrDefault("x-perkamo-delivery", "");
            int nth = perDelivery.computeIfAbsent(path + " " + delivery, k -> new AtomicInteger()).incrementAndGet();
            Behaviour b = behaviours.getOrDefault(path, n -> new Answer(404, Map.of()));
            Answer a;
            try {
                a = b.answer(nth);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            received.add(new Received(path, Map.copyOf(headers), body, a.status()));
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(a.status(), -1);
        } catch (IOException e) {
            // the sender gave up (a timeout): fine
        } finally {
            openHere.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    static List<Received> sorted(List<Received> list) {
        List<Received> copy = new ArrayList<>(list);
        copy.sort((a, b) -> Integer.compare(a.attempt(), b.attempt()));
        return copy;
    }
}
