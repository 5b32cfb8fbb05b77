package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.perkamo.cli.PerkamoCli;
import io.perkamo.testing.Eventually;
import picocli.CommandLine;

/** Runs `perkamo broker` through picocli on a thread (no System.exit) with its own broker. */
class BrokerCommandIT {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldServeKafkaAndTheRegistryUntilStopped() throws Exception {
        // given free ports
        int port = EmbeddedKafkaBroker.freePort();
        int controllerPort = EmbeddedKafkaBroker.freePort();
        int registryPort = EmbeddedKafkaBroker.freePort();

        // when the command runs
        Running running = run("broker", "--port", "" + port, "--controller-port", "" + controllerPort,
                "--registry-port", "" + registryPort, "--data-dir", dir.toString());
        running.awaitReady();

        // then it printed one ready line naming the address and the data directory
        assertThat(out.toString().lines().toList()).singleElement().asString()
                .startsWith("Kafka broker ready on localhost:" + port + " (data: " + dir.toAbsolutePath() + ")")
                .contains("schema registry on http://localhost:" + registryPort);
        // and Kafka answers
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + port))) {
            admin.createTopics(List.of(new NewTopic("reachable", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // a new topic reaches the broker's metadata a moment after createTopics returns
            Eventually.eventually(Duration.ofSeconds(30), () -> assertThat(admin.listTopics().names()
                    .get(30, TimeUnit.SECONDS)).contains("reachable", "_schemas"));
        }
        // and so does the registry
        HttpResponse<String> config = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + registryPort + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("BACKWARD");

        // when it is stopped
        int exit = running.stop();

        // then it ends cleanly and frees its ports
        assertThat(exit).isZero();
        assertThatCode(() -> {
            Ports.requireFree(port, "test");
            Ports.requireFree(controllerPort, "test");
            Ports.requireFree(registryPort, "test");
        }).doesNotThrowAnyException();
    }

    @Test
    void shouldRunWithoutTheRegistryWhenAsked() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        int registryPort = EmbeddedKafkaBroker.freePort();

        Running running = run("broker", "--port", "" + port, "--controller-port", "0",
                "--registry-port", "" + registryPort, "--no-registry", "--data-dir", dir.toString());
        running.awaitReady();

        assertThat(out.toString()).doesNotContain("schema registry");
        assertThatCode(() -> Ports.requireFree(registryPort, "test")).doesNotThrowAnyException();
        assertThat(running.stop()).isZero();
    }

    @Test
    void shouldNameABrokerPortInUseWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int exit = command().execute("broker", "--port", "" + taken.getLocalPort(), "--controller-port", "0",
                    "--registry-port", "0", "--data-dir", dir.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("port " + taken.getLocalPort()).contains("Kafka broker")
                    .contains("in use").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void shouldNameARegistryPortInUseBeforeStartingTheBroker() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        try (ServerSocket taken = new ServerSocket(0)) {
            int exit = command().execute("broker", "--port", "" + port, "--controller-port", "0",
                    "--registry-port", "" + taken.getLocalPort(), "--data-dir", dir.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("port " + taken.getLocalPort()).contains("schema registry")
                    .doesNotContain("\tat ");
            assertThatCode(() -> Ports.requireFree(port, "test")).doesNotThrowAnyException();
        }
    }

    private CommandLine command() {
        CommandLine cmd = new CommandLine(new PerkamoCli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd;
    }

    private Running run(String... args) {
        CommandLine cmd = command();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread thread = new Thread(() -> exit.set(cmd.execute(args)), "perkamo-broker-command");
        thread.start();
        return new Running(thread, exit);
    }

    private final class Running {
        private final Thread thread;
        private final AtomicInteger exit;

        Running(Thread thread, AtomicInteger exit) {
            this.thread = thread;
            this.exit = exit;
        }

        void awaitReady() throws InterruptedException {
            Eventually.holdsWithin(Duration.ofSeconds(60), () -> out.toString().contains("ready") || !thread.isAlive());
            assertThat(out.toString()).as("stderr: " + err).contains("ready");
        }

        /** Interrupts the command as a Ctrl-C would end its wait, and returns its exit code. */
        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(20).toMillis());
            assertThat(thread.isAlive()).as("still running 20 s after the stop").isFalse();
            return exit.get();
        }
    }
}
