package io.perkamo.usage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.WireFormats;

/**
 * The usage meters' Streams application ({@link UsageTopology}): its own application id, so its
 * transactions and offsets are apart from the fold's and a slow meter never holds the fold back.
 */
public final class UsageStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageStreams.class);
    /** The longest range one read answers. */
    public static final int MAX_DAYS = 366;

    /** @param applicationId the meters' own id (the node uses its application id + "-usage") */
    public record Config(String bootstrapServers, String applicationId, Path stateDir, WireFormats formats,
                         Map<String, Object> overrides) {
        public Config {
            overrides = Map.copyOf(overrides);
        }
    }

    private final KafkaStreams streams;

    private UsageStreams(KafkaStreams streams) {
        this.streams = streams;
    }

    public static UsageStreams start(Config config) {
        KafkaStreams streams = new KafkaStreams(UsageTopology.build(config.formats()), properties(config));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("A usage thread failed; replacing it (its task restarts from the last commit)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("Usage meters {} -> {}", before, now));
        streams.start();
        return new UsageStreams(streams);
    }

    static Properties properties(Config config) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // exactly once: a count, its marker and the input offsets commit together
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // fewer, larger transactions than the fold: the meters are read by people, not by SDK calls
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 3000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // a Space's outcomes exist since the start of its log: count from there
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.putAll(config.overrides());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /**
     * The Space's days from {@code from} to {@code to}, both included, a day without activity as
     * zeros. Reads the stores of this instance: with several instances, each day's counters live
     * on the instance that owns its partition (see the README's Usage section).
     */
    public List<UsageDay> days(String space, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to is before from");
        }
        ReadOnlyKeyValueStore<String, UsageCounts> store = streams.store(StoreQueryParameters.fromNameAndType(
                UsageTopology.DAYS, QueryableStoreTypes.<String, UsageCounts>keyValueStore()));
        List<UsageDay> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            UsageCounts c = store.get(UsageKeys.day(space, d));
            days.add(new UsageDay(space, d, c == null ? UsageCounts.ZERO : c));
        }
        return days;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(20)));
        log.info("Usage meters stopped");
    }
}
