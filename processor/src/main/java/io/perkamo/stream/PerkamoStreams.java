package io.perkamo.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.topics.AdminPartitionCounts;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WireFormats;

/**
 * The Streams instance: owns the configuration and lifecycle of the topology (which itself
 * is a pure function, {@link PerkamoTopology#build}). Instances with the same application id
 * share the work.
 */
public final class PerkamoStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PerkamoStreams.class);

    /**
     * @param applicationServer host:port of this instance's HTTP API, for interactive queries
     * @param formats           the output format, and the registry Avro inputs and outputs need
     */
    public record Config(String bootstrapServers,
                         String applicationId,
                         Path stateDir,
                         Optional<String> applicationServer,
                         int threads,
                         WireFormats formats,
                         Duration dedupRetention,
                         Map<String, Object> overrides) {

        public Config {
            overrides = Map.copyOf(overrides);
        }
    }

    private final KafkaStreams streams;
    private final AdminPartitionCounts partitionCounts;
    private final ProfileStoreQuery profiles;

    private PerkamoStreams(Config config) {
        AvroTrust.install();
        Map<String, Object> admin = Map.of("bootstrap.servers", config.bootstrapServers());
        this.partitionCounts = new AdminPartitionCounts(admin);
        PerkamoTopology.Settings settings = new PerkamoTopology.Settings(
                new InputDecoder(config.formats().avroInputs()),
                partitionCounts,
                new ProgramRegistry(),
                OutputSerializer.of(Topics.OUTCOMES.valueSerde(config.formats()).serializer()),
                OutputSerializer.of(Topics.PROFILES.valueSerde(config.formats()).serializer()),
                config.dedupRetention());
        this.streams = new KafkaStreams(PerkamoTopology.build(settings), properties(config));
        this.profiles = new ProfileStoreQuery(streams, partitionCounts, config.applicationServer());
    }

    public static PerkamoStreams start(Config config) {
        PerkamoStreams app = new PerkamoStreams(config);
        app.streams.setUncaughtExceptionHandler(e -> {
            log.error("A stream thread failed; replacing it (its task restarts from the last commit)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        app.streams.setStateListener((now, before) -> {
            app.profiles.onStateChange();
            log.info("Streams {} -> {}", before, now);
        });
        app.streams.start();
        return app;
    }

    static Properties properties(Config config) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.applicationServer().ifPresent(s -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, s));
        // a new Space's events topic is picked up within seconds, not the default 5 minutes
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 3000);
        // after a crash, the partitions of a dead instance move on within seconds
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // a failing global (programs) record is logged and skipped like any other, not fatal
        p.put("processing.exception.handler.global.enabled", true);
        p.putAll(config.overrides());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    public KafkaStreams kafkaStreams() {
        return streams;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public ProfileStoreQuery profiles() {
        return profiles;
    }

    /** Waits until the instance is RUNNING (or fails on ERROR / timeout). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isRunning()) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the stream processor stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the stream processor is not running after " + timeout.toSeconds()
                        + " s (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until every partition of these topics is assigned to an instance of this application
     * and this instance is RUNNING after that assignment. A Space created after start is picked up
     * by the pattern subscription only at the next metadata refresh and rebalance; until then its
     * inputs wait unprocessed.
     */
    public void awaitAssigned(Collection<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> wanted = new HashSet<>();
        for (String topic : topics) {
            for (int p = 0; p < partitionCounts.of(topic); p++) {
                wanted.add(new TopicPartition(topic, p));
            }
        }
        while (true) {
            Set<TopicPartition> assigned = new HashSet<>();
            streams.metadataForAllStreamsClients().forEach(m -> assigned.addAll(m.topicPartitions()));
            // metadata first, state second: RUNNING then means running with that assignment
            if (assigned.containsAll(wanted) && isRunning()) {
                return;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the stream processor stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                wanted.removeAll(assigned);
                throw new IllegalStateException("the stream processor has not picked up " + wanted + " after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        // leave the group: a restarted instance then rebalances at once instead of waiting out
        // the old member's session timeout
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(20)));
        partitionCounts.close();
        log.info("Stream processor stopped");
    }
}
