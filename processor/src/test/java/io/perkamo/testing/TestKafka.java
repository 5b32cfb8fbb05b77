package io.perkamo.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.local.EmbeddedKafkaBroker;

/**
 * One real broker per test JVM, shared by every integration test: Testcontainers' Kafka
 * when a Docker engine answers, otherwise the project's own in-JVM KRaft broker (the one
 * local mode runs). Tests isolate themselves by unique Space slugs, never by brokers.
 */
public final class TestKafka {
    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** The largest partition count a test's Space may have. */
    public static final int MAX_PARTITIONS = 6;
    private static String bootstrap;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            String started = dockerAvailable() ? startContainer() : startEmbedded();
            anchorPartitionCount(started);
            bootstrap = started;
        }
        return bootstrap;
    }

    /**
     * Spaces of one cluster may not outgrow the partition count the first one set (a processor
     * cannot grow its tasks), so the run starts with one Space of the largest count any test uses.
     */
    private static void anchorPartitionCount(String bootstrapServers) {
        try (ControlPlane cp = ControlPlane.startWithoutMasterKey(bootstrapServers)) {
            new SpaceAdmin(cp).create("test-anchor", "test", Optional.empty(), MAX_PARTITIONS);
        }
    }

    /** A Space slug no other test in this run uses. */
    public static String uniqueSlug(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    /** A consumer of committed records from the earliest offsets on, in a consumer group of its own. */
    public static <K, V> KafkaConsumer<K, V> committedConsumer(Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers(), "group.id", "it-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"), keys, values);
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
