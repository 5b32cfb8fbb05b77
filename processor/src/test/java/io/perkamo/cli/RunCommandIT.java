package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.testing.ApiClient;
import io.perkamo.testing.Eventually;

/**
 * `perkamo run` in local mode as a user runs it: a separate JVM on free ports with its own
 * PERKAMO_HOME, talked to only through its ports (HTTP, Kafka, registry) and signals.
 */
class RunCommandIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldComeUpStopOnSigtermAndKeepEverythingAcrossARestart() throws Exception {
        // given
        Path home = Files.createTempDirectory("perkamo-home");
        String key = "sk_test_it" + UUID.randomUUID().toString().replace("-", "");
        FreePorts ports = FreePorts.pick();
        String order = "{\"user_id\":\"alice\",\"event\":\"purchase.completed\",\"transaction_id\":\"order-1\","
                + "\"context\":{\"amount\":12900,\"currency\":\"CZK\"}}";

        // when: first start on an empty PERKAMO_HOME
        Run first = Run.start(this, home, key, ports);
        String block = first.awaitReady();

        // then: the ready block names the URLs, the Space and the fixed key
        assertThat(block).contains("http://localhost:" + ports.api, "localhost:" + ports.kafka,
                "http://localhost:" + ports.registry, "demo-test", key);
        HttpResponse<String> subjects = ApiClient.of("http://localhost:" + ports.registry).get("/subjects");
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(subjects).isArray()).as(subjects.body()).isTrue();

        // (the first input after a start can outlast the 5 s ingest timeout on a loaded machine; the
        // 503 says a retry with the same transaction_id is safe, and a client does just that)
        JsonNode ingest = postEventRetryingTimeouts(ports, key, order);
        assertThat(ingest.path("applied").asBoolean() || ingest.path("duplicate").asBoolean()).as(ingest.toString())
                .isTrue();
        assertThat(ingest.path("wallet_state").path("points").asLong()).isEqualTo(129);
        JsonNode profile = customer(ports, key, "alice");
        assertThat(profile.path("wallets").path("points").asLong()).isEqualTo(129);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + ports.kafka))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("perkamo.demo-test.events",
                    "perkamo.demo-test.outcomes", "perkamo.demo-test.profiles", "perkamo.demo-test.dlq");
        }

        // when: SIGTERM
        first.process.destroy();

        // then: it stops within 20 s and every port is free again
        assertThat(first.process.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s; output:%n%s", first.output())
                .isTrue();
        for (int port : ports.all()) {
            assertThat(isFree(port)).as("port %d free after stop", port).isTrue();
        }

        // when: a start while something else listens on the API port
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", ports.api));
            Run blocked = Run.start(this, home, key, ports);

            // then: exit code 1, one clear line naming the port, nothing left bound
            assertThat(blocked.process.waitFor(90, TimeUnit.SECONDS)).as("ends on its own; output:%n%s",
                    blocked.output()).isTrue();
            assertThat(blocked.process.exitValue()).as(blocked.output()).isEqualTo(1);
            assertPortError(blocked, List.of(ports.api));
        }
        for (int port : ports.all()) {
            assertThat(isFree(port)).as("port %d free after the failed start", port).isTrue();
        }

        // when: a second start on the same PERKAMO_HOME (after the failed one)
        Run second = Run.start(this, home, key, ports);
        String again = second.awaitReady();

        // then: same key, the record produced before the restart, the profile state and the dedup memory
        assertThat(again).contains(key, "demo-test");
        assertThat(eventsFromTheBeginning(ports)).anySatisfy(v -> assertThat(v).contains("order-1", "alice"));
        assertThat(customer(ports, key, "alice").path("wallets").path("points").asLong()).isEqualTo(129);
        JsonNode retry = postEvent(ports, key, order);
        assertThat(retry.path("duplicate").asBoolean()).as(retry.toString()).isTrue();
        assertThat(retry.path("wallet_state").path("points").asLong()).isEqualTo(129);

        // and: a third start on the same ports fails with exit code 1 and one clear line
        Path otherHome = Files.createTempDirectory("perkamo-home");
        Run third = Run.start(this, otherHome, key, ports);
        assertThat(third.process.waitFor(60, TimeUnit.SECONDS)).as("ends on its own").isTrue();
        assertThat(third.process.exitValue()).as(third.output()).isEqualTo(1);
        assertPortError(third, ports.all());

        second.process.destroy();
        assertThat(second.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    // --- helpers

    /** Exactly one "perkamo:" line naming one of the ports as in use, and no stack trace. */
    private static void assertPortError(Run run, List<Integer> candidates) throws IOException {
        String err = run.stderr();
        List<String> lines = err.lines().filter(l -> l.startsWith("perkamo:")).toList();
        assertThat(lines).as("stderr:%n%s", err).hasSize(1);
        assertThat(lines.get(0)).contains("in use");
        assertThat(candidates).as(lines.get(0)).anySatisfy(p -> assertThat(lines.get(0)).contains("port " + p));
        assertThat(err).as("no stack trace").doesNotContain("\tat ");
    }

    private record FreePorts(int api, int kafka, int controller, int registry) {
        static FreePorts pick() throws IOException {
            List<ServerSocket> held = new ArrayList<>();
            try {
                int[] p = new int[4];
                for (int i = 0; i < 4; i++) {
                    ServerSocket s = new ServerSocket(0);
                    held.add(s);
                    p[i] = s.getLocalPort();
                }
                return new FreePorts(p[0], p[1], p[2], p[3]);
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }

        List<Integer> all() {
            return List.of(api, kafka, controller, registry);
        }
    }

    /** One `perkamo run` process; stdout and stderr go to files so that nothing blocks it. */
    private record Run(Process process, Path outFile, Path errFile) {
        static Run start(RunCommandIT test, Path home, String key, FreePorts ports) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path out = Files.createTempFile("perkamo-run", ".out");
            Path err = Files.createTempFile("perkamo-run", ".err");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    "io.perkamo.cli.PerkamoCli", "run",
                    "--port", String.valueOf(ports.api), "--kafka-port", String.valueOf(ports.kafka),
                    "--controller-port", String.valueOf(ports.controller),
                    "--registry-port", String.valueOf(ports.registry))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("PERKAMO_HOME", home.toString());
            pb.environment().put("PERKAMO_DEV_SERVER_KEY", key);
            pb.environment().remove("PERKAMO_MASTER_KEY");
            Process p = pb.start();
            test.started.add(p);
            return new Run(p, out, err);
        }

        /** The ready block, once printed; fails when the process ends first or after the timeout. */
        String awaitReady() throws Exception {
            return Eventually.untilPresent(READY_TIMEOUT, () -> {
                String text = Files.readString(outFile);
                if (text.contains("Ctrl-C stops everything")) {
                    return Optional.of(text);
                }
                assertThat(process.isAlive()).as("perkamo run ended before ready:%n%s", output()).isTrue();
                return Optional.<String>empty();
            }).orElseThrow(() -> new AssertionError("not ready after " + READY_TIMEOUT + ":\n" + output()));
        }

        String stderr() throws IOException {
            return Files.readString(errFile);
        }

        String output() {
            try {
                return "--- stdout\n" + Files.readString(outFile) + "--- stderr\n" + Files.readString(errFile);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    private static JsonNode postEventRetryingTimeouts(FreePorts ports, String key, String body) throws Exception {
        ApiClient api = ApiClient.of("http://localhost:" + ports.api, key);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer = api.post("/v1/events", body);
            if (answer.statusCode() == 503 && answer.body().contains("processing_timeout") && attempt < 4) {
                continue;
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return ApiClient.json(answer);
        }
    }

    private static JsonNode postEvent(FreePorts ports, String key, String body) throws Exception {
        return ApiClient.of("http://localhost:" + ports.api, key).post("/v1/events", body, 200);
    }

    private static JsonNode customer(FreePorts ports, String key, String user) throws Exception {
        return ApiClient.of("http://localhost:" + ports.api, key).get("/v1/customer/" + user, 200);
    }

    private static List<String> eventsFromTheBeginning(FreePorts ports) throws InterruptedException {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", "localhost:" + ports.kafka, "group.id", "run-it-" + System.nanoTime(),
                "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of("perkamo.demo-test.events"));
            Eventually.holdsWithin(Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    values.add(r.value());
                }
                return !values.isEmpty();
            });
        }
        return values;
    }

    /** The check local mode itself makes: can a listener bind the port on every interface. */
    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
