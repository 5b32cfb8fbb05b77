package io.perkamo.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import io.perkamo.local.EmbeddedKafkaBroker;

/**
 * One real broker per test JVM, shared by every integration test: Testcontainers' Kafka
 * when a Docker engine answers, otherwise the project's own in-JVM KRaft broker (the one
 * local mode runs). Tests isolate themselves by unique Space slugs, never by brokers.
 */
public final class TestKafka {
    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static String bootstrap;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = dockerAvailable() ? startContainer() : startEmbedded();
        }
        return bootstrap;
    }

    /** A Space slug no other test in this run uses. */
    public static String uniqueSlug(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("perkamo.test.embedded")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static String startContainer() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "test-kafka-stop"));
        log.info("Test broker: Testcontainers Kafka at {}", kafka.getBootstrapServers());
        return kafka.getBootstrapServers();
    }

    private static String startEmbedded() {
        try {
            Path dir = Files.createTempDirectory("perkamo-test-kafka");
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0, 0,
                    Map.of("log.retention.check.interval.ms", "600000"));
            System.setProperty("perkamo.exit.throw", "true");
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-kafka-stop"));
            log.info("Test broker: in-JVM KRaft broker at {} (no Docker engine)", broker.bootstrapServers());
            return broker.bootstrapServers();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
