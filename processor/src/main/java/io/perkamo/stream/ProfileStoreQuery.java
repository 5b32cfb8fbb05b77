package io.perkamo.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

import io.perkamo.schemas.avro.Profile;
import io.perkamo.core.codec.StoreCodecs;
import io.perkamo.topics.PartitionCounts;
import io.perkamo.topics.Partitioning;
import io.perkamo.topics.Topics;

/**
 * Interactive queries of the profile store: where a user's profile lives (this instance or
 * another, by the application.server metadata) and, when here, its current value.
 *
 * <p>Kafka Streams answers both questions per call by walking its tasks under locks it shares
 * with the stream thread ({@code queryMetadataForKey} is synchronized, every store read
 * re-resolves the task's store): under concurrent reads those locks, not the reads, set the
 * latency. Both answers only change with the assignment, so they are kept per partition while
 * the instance is RUNNING and dropped at every state change (a rebalance passes through
 * REBALANCING); a kept store is used only while it is open (a task closed or revived outside
 * a rebalance closes it), so every read still comes from the active task that owns it.
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

    /** The most partitions a Space's events topic can have for the kept answers; beyond, no keeping. */
    private static final int KEPT_PARTITIONS = 1024;

    private final KafkaStreams streams;
    private final PartitionCounts partitionCounts;
    private final Optional<String> self;
    /** Answers of the current assignment; replaced (emptied) at every state change. */
    private volatile Routes routes = new Routes();

    ProfileStoreQuery(KafkaStreams streams, PartitionCounts partitionCounts, Optional<String> self) {
        this.streams = streams;
        this.partitionCounts = partitionCounts;
        this.self = self;
    }

    /** Called on every state change of the Streams instance: what was kept may be another assignment's. */
    void onStateChange() {
        routes = new Routes();
    }

    public Location locate(String space, String userId) {
        String key = StoreNames.profileKey(space, userId);
        int partitions;
        try {
            partitions = partitionCounts.of(Topics.EVENTS.name(space));
        } catch (RuntimeException e) {
            return new Unavailable("unknown Space topic: " + e.getMessage());
        }
        int partition = Partitioning.partitionOf(userId.getBytes(StandardCharsets.UTF_8), partitions);
        // read the kept answers before the state: answers kept before a state change are then never used after it
        Routes kept = routes;
        boolean keep = partition < KEPT_PARTITIONS && streams.state() == KafkaStreams.State.RUNNING;
        String owner = keep ? kept.owners.get(partition) : null;
        if (owner == null) {
            StreamPartitioner<String, Void> byUser = (topic, k, v, n) -> Optional.of(Set.of(partition));
            KeyQueryMetadata meta = streams.queryMetadataForKey(StoreNames.PROFILES, key, byUser);
            if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
                return new Unavailable("the processor is rebalancing");
            }
            owner = meta.activeHost().host() + ":" + meta.activeHost().port();
            if (keep) {
                kept.owners.set(partition, owner);
            }
        }
        if (self.isPresent() && !self.get().equals(owner)) {
            return new Remote(owner);
        }
        return readLocal(key, partition, keep ? kept : null);
    }

    private Location readLocal(String key, int partition, Routes kept) {
        try {
            KeyValueStore<String, byte[]> store = kept == null ? null : kept.stores.get(partition);
            if (store == null || !store.isOpen()) {
                store = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.PROFILES, ActiveTaskStore.TYPE)
                        .withPartition(partition));
                if (kept != null) {
                    kept.stores.set(partition, store);
                }
            }
            byte[] bytes = store.get(key);
            return new Local(bytes == null ? Optional.empty() : Optional.of(StoreCodecs.decodeProfile(bytes)));
        } catch (InvalidStateStoreException e) {
            return new Unavailable("the profile store is not queryable right now: " + e.getMessage());
        }
    }

    /** Per partition: the active host of the profile store, and this instance's store when it is the owner. */
    private static final class Routes {
        final AtomicReferenceArray<String> owners = new AtomicReferenceArray<>(KEPT_PARTITIONS);
        final AtomicReferenceArray<KeyValueStore<String, byte[]>> stores = new AtomicReferenceArray<>(KEPT_PARTITIONS);
    }

    /**
     * The active task's own store for one partition, as Kafka Streams resolves it (running active
     * tasks only, open stores only), instead of the composite view that resolves it again on
     * every get. The profile store is a plain (not timestamped) key-value store.
     */
    private static final class ActiveTaskStore implements QueryableStoreType<KeyValueStore<String, byte[]>> {
        static final ActiveTaskStore TYPE = new ActiveTaskStore();

        @Override
        public boolean accepts(StateStore stateStore) {
            return stateStore instanceof KeyValueStore && !(stateStore instanceof TimestampedKeyValueStore);
        }

        @Override
        public KeyValueStore<String, byte[]> create(StateStoreProvider provider, String storeName) {
            List<KeyValueStore<String, byte[]>> stores = provider.stores(storeName, this);
            if (stores.size() != 1) {
                throw new InvalidStateStoreException("expected one " + storeName + " store for the partition, found "
                        + stores.size());
            }
            return stores.get(0);
        }
    }
}
