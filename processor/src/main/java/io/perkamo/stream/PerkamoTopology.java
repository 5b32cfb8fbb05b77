package io.perkamo.stream;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.PartitionCounts;
import io.perkamo.topics.Partitioning;
import io.perkamo.topics.Topics;

/**
 * The processor as a pure function of its configuration: nothing here starts threads or
 * reads the environment. Shape:
 *
 * <pre>
 * perkamo.*.events --route--> fold (profiles, decisions; programs global) --> outcomes, profiles
 *                        \--> dlq (invalid, with headers)
 *                        \--> events again, on the partition murmur2(user_id) picks
 * </pre>
 */
public final class PerkamoTopology {
    static final String EVENTS_SOURCE = "events";
    static final String ROUTE = "route";
    static final String FOLD = "fold";
    static final String DLQ_SINK = "dlq";
    static final String REROUTE_SINK = "reroute";
    static final String OUTCOMES_SINK = "outcomes";
    static final String PROFILES_SINK = "profiles";

    private PerkamoTopology() {
    }

    /** What the topology needs from outside; all of it plain values or pure functions. */
    public record Settings(InputDecoder decoder,
                           PartitionCounts partitionCounts,
                           ProgramRegistry programs,
                           OutputSerializer<Outcome> outcomeSerializer,
                           OutputSerializer<Profile> profileSerializer,
                           Duration dedupRetention) {
    }

    public static Topology build(Settings settings) {
        Topology topology = new Topology();
        topology.addSource(EVENTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Topics.EVENTS.pattern());
        topology.addProcessor(ROUTE, () -> new InputRouter(settings.decoder(), settings.partitionCounts()),
                EVENTS_SOURCE);
        topology.addSink(REROUTE_SINK, (key, value, ctx) -> ctx.topic(), new ByteArraySerializer(),
                new ByteArraySerializer(), murmur2(), ROUTE);

        topology.addProcessor(FOLD, () -> new FoldProcessor(settings.programs(), settings.dedupRetention()), ROUTE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.PROFILES),
                Serdes.String(), Serdes.ByteArray()), FOLD);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DECISIONS),
                Serdes.String(), Serdes.ByteArray()), FOLD);
        topology.addSink(DLQ_SINK, sameSpace(Topics.DLQ::name), new ByteArraySerializer(), new ByteArraySerializer(),
                ROUTE, FOLD);
        topology.addSink(OUTCOMES_SINK, spaceValue(Topics.OUTCOMES::name), Topics.OUTCOMES.keySerde().serializer(),
                settings.outcomeSerializer(), FOLD);
        topology.addSink(PROFILES_SINK, spaceValue(Topics.PROFILES::name), Topics.PROFILES.keySerde().serializer(),
                settings.profileSerializer(), FOLD);

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.PROGRAMS),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "programs-source", new StringDeserializer(), new ByteArrayDeserializer(),
                Topics.CONTROL_PROGRAMS.name(), "programs-updater", () -> new ProgramUpdater(settings.programs()));
        return topology;
    }

    /** The DLQ of the Space whose events topic the record came from. */
    private static TopicNameExtractor<Object, Object> sameSpace(java.util.function.Function<String, String> topicOf) {
        return (key, value, ctx) -> topicOf.apply(Topics.spaceOf(ctx.topic()).orElseThrow());
    }

    private static <V> TopicNameExtractor<Object, Object> spaceValue(java.util.function.Function<String, String> topicOf) {
        return (key, value, ctx) -> topicOf.apply(((SpaceValue<?>) value).space());
    }

    private static StreamPartitioner<Object, Object> murmur2() {
        return (topic, key, value, partitions) ->
                Optional.of(Set.of(Partitioning.partitionOf((byte[]) key, partitions)));
    }
}
