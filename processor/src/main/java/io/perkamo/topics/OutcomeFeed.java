package io.perkamo.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.schemas.avro.Outcome;

/**
 * This instance's feed of committed outcomes as they happen, per Space: one read_committed
 * consumer (no group) over the outcomes topics of the Spaces someone listens to, each read
 * from its end when its first listener arrives and dropped when its last one leaves, so an
 * instance nobody watches reads nothing. Every listener sees every outcome of its Space, in
 * partition order, on the feed's thread: a listener must hand work off, not block.
 *
 * <p>Shared by the console's live log and any other live view of outcomes (the client stream).
 */
public final class OutcomeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutcomeFeed.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    /** One outcome as read, with where it was read. */
    public record Item(String space, int partition, long offset, Instant timestamp, Outcome outcome) {
    }

    /** Stops delivering to its listener; closing twice does nothing. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final String bootstrap;
    private final Deserializer<Outcome> outcomes;
    private static final Duration POSITION_WAIT = Duration.ofSeconds(15);

    private final Map<String, List<Consumer<Item>>> listeners = new ConcurrentHashMap<>();
    /** Per Space listened to: done once its partitions are positioned at their end. */
    private final Map<String, CompletableFuture<Void>> positioned = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread poller;

    public OutcomeFeed(String bootstrapServers, WireFormats formats) {
        this.bootstrap = bootstrapServers;
        this.outcomes = Topics.OUTCOMES.valueSerde(formats).deserializer();
    }

    /**
     * Delivers every outcome of {@code space} committed after this call returns to
     * {@code listener}, until the subscription is closed. Returns once the Space's partitions are
     * read from their current end (at most ~15 s, for a Space whose topic is still being created).
     */
    public Subscription subscribe(String space, Consumer<Item> listener) {
        if (!Topics.isValidSlug(space)) {
            throw new IllegalArgumentException("not a Space slug: " + space);
        }
        CompletableFuture<Void> ready;
        synchronized (lock) {
            if (!running.get()) {
                throw new IllegalStateException("the outcome feed is closed");
            }
            listeners.computeIfAbsent(space, s -> new CopyOnWriteArrayList<>()).add(listener);
            ready = positioned.computeIfAbsent(space, s -> new CompletableFuture<>());
            startIfNeeded();
        }
        consumerWakeup();
        try {
            ready.get(POSITION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("The outcomes topic of Space {} is not readable yet; its live view starts when it is", space);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the outcome feed failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                synchronized (lock) {
                    List<Consumer<Item>> of = listeners.get(space);
                    if (of != null) {
                        of.remove(listener);
                        if (of.isEmpty()) {
                            listeners.remove(space);
                            positioned.remove(space);
                        }
                    }
                }
                consumerWakeup();
            }
        };
    }

    /** How many listeners the feed has now, over every Space. */
    public int listenerCount() {
        return listeners.values().stream().mapToInt(List::size).sum();
    }

    private void startIfNeeded() {
        if (poller != null) {
            return;
        }
        Map<String, Object> config = KafkaClients.consumerConfig(bootstrap, "perkamo-outcome-feed-" + UUID.randomUUID());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumer = KafkaClients.consumer(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        poller = new Thread(this::pollLoop, "perkamo-outcome-feed");
        poller.setDaemon(true);
        poller.start();
    }

    private void consumerWakeup() {
        KafkaConsumer<byte[], byte[]> c;
        synchronized (lock) {
            c = consumer;
        }
        if (c != null) {
            c.wakeup();
        }
    }

    private void pollLoop() {
        Set<String> assignedSpaces = new HashSet<>();
        try {
            while (running.get()) {
                try {
                    reassign(assignedSpaces);
                    if (assignedSpaces.isEmpty()) {
                        Thread.sleep(IDLE_POLL.toMillis());
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(IDLE_POLL)) {
                        deliver(record);
                    }
                } catch (WakeupException e) {
                    // a listener came or went: look at the assignment again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running.get()) {
                log.error("The outcome feed stopped; live views get no more outcomes", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Follows the Spaces listened to: new ones from their end, gone ones dropped. */
    private void reassign(Set<String> assigned) {
        Set<String> wanted = new HashSet<>(listeners.keySet());
        if (wanted.equals(assigned)) {
            markPositioned(assigned);
            return;
        }
        List<TopicPartition> keep = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (wanted.contains(Topics.OUTCOMES.spaceOf(tp.topic()).orElse(""))) {
                keep.add(tp);
            }
        }
        List<TopicPartition> added = new ArrayList<>();
        Set<String> nowAssigned = new HashSet<>();
        for (String space : wanted) {
            if (assigned.contains(space)) {
                nowAssigned.add(space);
                continue;
            }
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.OUTCOMES.name(space), Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                continue; // not created yet: asked again at the next look
            }
            partitions.forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
            nowAssigned.add(space);
        }
        List<TopicPartition> all = new ArrayList<>(keep);
        all.addAll(added);
        consumer.assign(all);
        if (!added.isEmpty()) {
            consumer.seekToEnd(added);
            added.forEach(consumer::position);
        }
        assigned.clear();
        assigned.addAll(nowAssigned);
        markPositioned(nowAssigned);
    }

    private void markPositioned(Set<String> spaces) {
        for (String space : spaces) {
            CompletableFuture<Void> f = positioned.get(space);
            if (f != null) {
                f.complete(null);
            }
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        String space = Topics.OUTCOMES.spaceOf(record.topic()).orElse("");
        List<Consumer<Item>> of = listeners.get(space);
        if (of == null || of.isEmpty() || record.value() == null) {
            return;
        }
        Item item;
        try {
            item = new Item(space, record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                    outcomes.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            log.warn("Unreadable outcome at {}-{}@{} skipped by the feed: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return;
        }
        for (Consumer<Item> listener : of) {
            try {
                listener.accept(item);
            } catch (RuntimeException e) {
                log.warn("An outcome feed listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            running.set(false);
            t = poller;
        }
        consumerWakeup();
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listeners.clear();
    }
}
