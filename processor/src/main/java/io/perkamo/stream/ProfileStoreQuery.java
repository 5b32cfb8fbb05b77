package io.perkamo.stream;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.perkamo.control.SpaceTopics;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.stream.serde.StoreCodecs;

/**
 * Interactive queries of the profile store: where a user's profile lives (this instance or
 * another, by the application.server metadata) and, when here, its current value.
 */
public final class ProfileStoreQuery {

    /** Where a key lives right now. */
    public sealed interface Location permits Local, Remote, Unavailable {
    }

    public record Local(Optional<Profile> profile) implements Location {
    }

    public record Remote(String hostPort) implements Location {
    }

    public record Unavailable(String reason) implements Location {
    }

    private final KafkaStreams streams;
    private final PartitionCounts partitionCounts;
    private final Optional<String> self;

    ProfileStoreQuery(KafkaStreams streams, PartitionCounts partitionCounts, Optional<String> self) {
        this.streams = streams;
        this.partitionCounts = partitionCounts;
        this.self = self;
    }

    public Location locate(String space, String userId) {
        String key = StoreNames.profileKey(space, userId);
        int partitions;
        try {
            partitions = partitionCounts.of(SpaceTopics.events(space));
        } catch (RuntimeException e) {
            return new Unavailable("unknown Space topic: " + e.getMessage());
        }
        int partition = Partitioning.partitionOf(userId.getBytes(StandardCharsets.UTF_8), partitions);
        StreamPartitioner<String, Void> byUser = (topic, k, v, n) -> Optional.of(Set.of(partition));
        KeyQueryMetadata meta = streams.queryMetadataForKey(StoreNames.PROFILES, key, byUser);
        if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
            return new Unavailable("the processor is rebalancing");
        }
        String owner = meta.activeHost().host() + ":" + meta.activeHost().port();
        if (self.isPresent() && !self.get().equals(owner)) {
            return new Remote(owner);
        }
        return readLocal(key, meta.partition());
    }

    private Location readLocal(String key, int partition) {
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters
                    .fromNameAndType(StoreNames.PROFILES, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            byte[] bytes = store.get(key);
            return new Local(bytes == null ? Optional.empty() : Optional.of(StoreCodecs.decodeProfile(bytes)));
        } catch (InvalidStateStoreException e) {
            return new Unavailable("the profile store is not queryable right now: " + e.getMessage());
        }
    }
}
