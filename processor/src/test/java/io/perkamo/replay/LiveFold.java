package io.perkamo.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ProgramVersion;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.stream.OutputSerializer;
import io.perkamo.stream.PerkamoTopology;
import io.perkamo.stream.ProgramRegistry;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.Topics;

/**
 * The live processor in-process: the real topology in a TopologyTestDriver (one partition, JSON
 * outputs). Each Space given to it gets its program versions and records; what it wrote is
 * read back as a replay compares it: outcomes in order, each user's last profile record. One
 * driver serves many Spaces (it costs more to start than a small history costs to fold).
 */
final class LiveFold implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    /** An input record as a producer writes it; key null for a keyless record. */
    record Produced(String key, byte[] value, Instant timestamp) {
    }

    private final TopologyTestDriver driver;

    LiveFold() {
        this(Duration.ofDays(30));
    }

    LiveFold(Duration dedupRetention) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "perkamo-replay-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        PerkamoTopology.Settings settings = new PerkamoTopology.Settings(new InputDecoder(Optional.empty()),
                topic -> 1, new ProgramRegistry(), OutputSerializer.json(OutcomeJson::bytes),
                OutputSerializer.json(ProfileJson::bytes), dedupRetention);
        driver = new TopologyTestDriver(PerkamoTopology.build(settings), props, T0);
    }

    /** Publishes the versions (each of its own Space). */
    void publish(List<ProgramVersion> programs) {
        TestInputTopic<String, byte[]> control = driver.createInputTopic(Topics.CONTROL_PROGRAMS.name(),
                new StringSerializer(), new ByteArraySerializer());
        for (ProgramVersion p : programs) {
            control.pipeInput(String.format("%s:%019d", p.space(), p.version()), p.toRecord());
        }
    }

    static ProgramVersion version(String space, long version, Instant effectiveAt, ObjectNode program) {
        return new ProgramVersion(space, version, effectiveAt, effectiveAt, program);
    }

    void produce(String space, List<Produced> records) {
        TestInputTopic<String, byte[]> events = driver.createInputTopic(Topics.EVENTS.name(space),
                new StringSerializer(), new ByteArraySerializer());
        for (Produced p : records) {
            events.pipeInput(new TestRecord<>(p.key(), p.value(), new RecordHeaders(), p.timestamp()));
        }
    }

    /** Every outcome, as JSON text, in order. */
    List<String> outcomes(String space) {
        List<String> out = new ArrayList<>();
        driver.createOutputTopic(Topics.OUTCOMES.name(space), new StringDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().forEach(v -> out.add(new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    /** Each user's last profile record, as JSON text. */
    Map<String, String> profiles(String space) {
        Map<String, String> out = new LinkedHashMap<>();
        driver.createOutputTopic(Topics.PROFILES.name(space), new StringDeserializer(), new ByteArrayDeserializer())
                .readKeyValuesToMap().forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    @Override
    public void close() {
        driver.close();
    }
}
