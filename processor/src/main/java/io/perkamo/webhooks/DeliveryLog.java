package io.perkamo.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WebhookDelivery;
import io.perkamo.topics.WebhookDelivery.Status;
import io.perkamo.topics.WebhookDeliveryJson;

/**
 * A Space's delivery history as the admin API and the CLI show it: the delivery log read back
 * (read_committed) and folded to each delivery's latest state, newest first; and resending a
 * delivery, which appends a {@code pending} record that the sender owning its partition picks
 * up (same delivery id, the attempt count goes on). Lists read at most the last
 * {@link #SCAN_PER_PARTITION} records of each partition; finding one delivery reads the log.
 */
public final class DeliveryLog implements AutoCloseable {
    static final int SCAN_PER_PARTITION = 50_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final String bootstrap;
    private KafkaProducer<String, byte[]> producer;

    public DeliveryLog(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** @param limit at most this many deliveries, newest first */
    public record Query(String space, Optional<String> endpointId, Optional<Status> status, int limit) {
    }

    public sealed interface Resend permits Resent, NotFound, NotFinished, NoPayload {
    }

    /** The pending record written: the delivery goes out again shortly. */
    public record Resent(WebhookDelivery delivery) implements Resend {
    }

    public record NotFound() implements Resend {
    }

    /** Still pending or retrying: it goes out on its own (at {@code next_attempt_at}). */
    public record NotFinished(WebhookDelivery delivery) implements Resend {
    }

    /** Its payload is no longer in the log (retention). */
    public record NoPayload(WebhookDelivery delivery) implements Resend {
    }

    /** The latest state of the Space's recent deliveries (the payload left out), newest first. */
    public List<WebhookDelivery> recent(Query q) {
        Map<String, WebhookDelivery> latest = read(q.space(), SCAN_PER_PARTITION, key -> true);
        return latest.values().stream()
                .filter(d -> q.endpointId().map(d.endpointId()::equals).orElse(true))
                .filter(d -> q.status().map(s -> d.status() == s).orElse(true))
                .sorted(Comparator.comparing(WebhookDelivery::createdAt).reversed()
                        .thenComparing(WebhookDelivery::deliveryId))
                .limit(Math.max(0, q.limit()))
                .map(DeliveryLog::withoutBody).toList();
    }

    /** One delivery's latest state (with its payload when the log still has it). */
    public Optional<WebhookDelivery> find(String space, String deliveryId) {
        return Optional.ofNullable(read(space, Integer.MAX_VALUE, deliveryId::equals).get(deliveryId));
    }

    /** Sends a finished delivery (succeeded or failed) again. */
    public Resend resend(String space, String deliveryId) {
        Optional<WebhookDelivery> found = find(space, deliveryId);
        if (found.isEmpty()) {
            return new NotFound();
        }
        WebhookDelivery d = found.get();
        if (!d.status().terminal()) {
            return new NotFinished(withoutBody(d));
        }
        if (d.body().isEmpty()) {
            return new NoPayload(d);
        }
        WebhookDelivery again = d.next(Status.PENDING, d.attempt(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Optional.empty(), d.lastStatusCode(), d.lastDurationMs(), Optional.of("resend requested"), d.body());
        try {
            producer().send(new ProducerRecord<>(Topics.WEBHOOK_DELIVERIES.name(space), d.outcomePartition(),
                    d.deliveryId(), WebhookDeliveryJson.bytes(again))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to the delivery log: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot write to the delivery log within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new Resent(withoutBody(again));
    }

    /** Latest state per delivery whose key passes, the payload kept from the last record that had it. */
    private Map<String, WebhookDelivery> read(String space, int lastPerPartition, Predicate<String> keys) {
        String topic = Topics.WEBHOOK_DELIVERIES.name(space);
        Map<String, Object> c = KafkaClients.consumerConfig(bootstrap, "perkamo-webhooks-log-read");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, WebhookDelivery> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.listTopics(READ_TIMEOUT).get(topic);
            if (infos == null) {
                return latest; // no endpoint yet: no log
            }
            List<TopicPartition> tps = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : tps) {
                long from = Math.max(begin.get(tp), end.get(tp) - lastPerPartition);
                consumer.seek(tp, from);
                if (end.get(tp) > from) {
                    remaining.put(tp, end.get(tp));
                }
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the delivery log of Space " + space + " did not answer within "
                            + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.value() != null && keys.test(r.key())) {
                        apply(latest, r.value());
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return latest;
    }

    private static void apply(Map<String, WebhookDelivery> latest, byte[] value) {
        WebhookDelivery d;
        try {
            d = WebhookDeliveryJson.read(value);
        } catch (IllegalArgumentException e) {
            return;
        }
        WebhookDelivery before = latest.get(d.deliveryId());
        if (d.body().isEmpty() && before != null && before.body().isPresent()) {
            d = withBody(d, before.body());
        }
        latest.put(d.deliveryId(), d);
    }

    static WebhookDelivery withoutBody(WebhookDelivery d) {
        return withBody(d, Optional.empty());
    }

    private static WebhookDelivery withBody(WebhookDelivery d, Optional<String> body) {
        return new WebhookDelivery(d.deliveryId(), d.eventId(), d.space(), d.endpointId(), d.type(), d.status(),
                d.attempt(), d.revision(), d.outcomePartition(), d.outcomeOffset(), d.url(), d.createdAt(),
                d.updatedAt(), d.nextAttemptAt(), d.lastStatusCode(), d.lastDurationMs(), d.lastError(), body);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = KafkaClients.producer(KafkaClients.producerConfig(bootstrap, "perkamo-webhooks-resend"),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** For lists: the record as JSON without the payload. */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(WebhookDelivery d) {
        var n = WebhookDeliveryJson.toJson(d);
        n.remove("body");
        n.remove("revision");
        return n;
    }

}
