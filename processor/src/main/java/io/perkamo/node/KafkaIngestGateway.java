package io.perkamo.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.api.IngestGateway;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.InputJson;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WireFormats;

/**
 * The synchronous API over the asynchronous log: produce the input to its Space's events
 * topic (keyed by user_id, tagged with the request id), then wait for the outcome carrying
 * that tag on the outcomes topic (read_committed: only decisions whose transaction
 * committed). Every instance reads all outcome partitions itself, without a consumer group,
 * so no rebalance ever pauses an answer; topics of Spaces created later are added as seen.
 */
final class KafkaIngestGateway implements IngestGateway, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaIngestGateway.class);
    private static final Duration TOPIC_REFRESH = Duration.ofSeconds(2);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Outcome> outcomes;
    private final Duration timeout;
    private final Map<String, CompletableFuture<Outcome>> pending = new ConcurrentHashMap<>();
    private final Set<String> readTopics = ConcurrentHashMap.newKeySet();
    private final Thread poller;
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private volatile boolean running = true;

    KafkaIngestGateway(String bootstrapServers, WireFormats formats, Duration timeout) {
        this.outcomes = Topics.OUTCOMES.valueSerde(formats).deserializer();
        this.timeout = timeout;
        Map<String, Object> producerConfig = KafkaClients.producerConfig(bootstrapServers,
                "perkamo-api-" + UUID.randomUUID());
        // the answer waits on this record: 1 ms batches the concurrent requests, and a send that
        // cannot complete fails long after the ingest timeout answered 503
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producerConfig.remove(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        producerConfig.remove(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        producerConfig.remove(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        this.producer = KafkaClients.producer(producerConfig, Topics.EVENTS.keySerde().serializer(),
                Topics.EVENTS.valueSerde(formats).serializer());
        Map<String, Object> consumerConfig = KafkaClients.consumerConfig(bootstrapServers,
                "perkamo-api-outcomes-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        this.consumer = KafkaClients.consumer(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::pollLoop, "perkamo-api-outcomes");
        this.poller.setDaemon(true);
        this.poller.start();
    }

    /** True once the outcome topics that existed at start are assigned and positioned. */
    boolean awaitReady(Duration wait) throws InterruptedException {
        return firstAssignment.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the outcomes topics of these Spaces are read (a Space created since the start is seen within 2 s). */
    boolean awaitTopics(java.util.Collection<String> outcomeTopics, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!readTopics.containsAll(outcomeTopics)) {
            if (System.nanoTime() > deadline || !running) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    boolean isReady() {
        return firstAssignment.getCount() == 0 && running;
    }

    @Override
    public CompletableFuture<Outcome> submit(String space, Input input, String requestId) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        if (pending.putIfAbsent(requestId, result) != null) {
            // the outcome is matched by this tag: a second waiter could get the other's answer
            return CompletableFuture.failedFuture(
                    new IllegalStateException("request id " + requestId + " is already waiting for an outcome"));
        }
        result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> pending.remove(requestId, result));
        // the record time is the receipt time (the producer's clock): stream time and dedup
        // retention follow it; the input's own occurred_at travels in the value
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS.name(space), input.userId(),
                InputJson.toJsonBytes(input));
        record.headers().add(PerkamoHeaders.REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
        producer.send(record, (meta, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    private void pollLoop() {
        Set<String> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    refreshAssignment(assigned);
                    firstAssignment.countDown();
                    nextRefresh = System.nanoTime() + TOPIC_REFRESH.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(100);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("The outcome reader of the API stopped; ingest requests will time out", e);
            running = false;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Topics present at the first look are read from their end (older outcomes answer nobody);
     * topics that appear later belong to new Spaces and are read from their beginning, so an
     * answer produced before we noticed the topic is not missed.
     */
    private void refreshAssignment(Set<String> assigned) {
        boolean first = assigned.isEmpty() && firstAssignment.getCount() == 1;
        List<TopicPartition> added = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (!assigned.contains(topic.getKey()) && Topics.OUTCOMES.matches(topic.getKey())) {
                topic.getValue().forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
                assigned.add(topic.getKey());
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>(consumer.assignment());
        all.addAll(added);
        consumer.assign(all);
        if (first) {
            consumer.seekToEnd(added);
        } else {
            consumer.seekToBeginning(added);
        }
        added.forEach(consumer::position);
        added.forEach(tp -> readTopics.add(tp.topic()));
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        Header tag = record.headers().lastHeader(PerkamoHeaders.REQUEST_ID);
        if (tag == null) {
            return;
        }
        CompletableFuture<Outcome> waiting = pending.remove(new String(tag.value(), StandardCharsets.UTF_8));
        if (waiting == null) {
            return;
        }
        try {
            waiting.complete(toIngestResult(record));
        } catch (RuntimeException e) {
            waiting.completeExceptionally(e);
        }
    }

    private Outcome toIngestResult(ConsumerRecord<byte[], byte[]> record) {
        return outcomes.deserialize(record.topic(), record.value());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        pending.values().forEach(f -> f.completeExceptionally(new TimeoutException("shutting down")));
    }
}
