package io.perkamo.control;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.KafkaClients;

/**
 * The one way the admin writers change the control plane: a record is written (acks=all,
 * idempotent) and the call returns once this instance's {@link ControlView} has read it, so
 * the writer's next read sees its own write. The producer is created on the first write:
 * read-only tools never open one.
 */
final class ControlLog implements AutoCloseable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(40);

    private final String bootstrap;
    private final ControlView view;
    private final Duration readBackTimeout;
    private KafkaProducer<String, byte[]> producer;
    private boolean closed;

    ControlLog(String bootstrap, ControlView view, Duration readBackTimeout) {
        this.bootstrap = bootstrap;
        this.view = view;
        this.readBackTimeout = readBackTimeout;
    }

    /** Writes one record ({@code value} null: a tombstone) and waits until the view has read it. */
    void write(ControlTopic to, String key, byte[] value) {
        String topic = to.name();
        RecordMetadata md;
        try {
            md = producer().send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ControlPlaneException("Cannot write to " + topic + " at " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ControlPlaneException("Cannot write to " + topic + " at " + bootstrap + " within "
                    + SEND_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted", e);
        }
        view.awaitPosition(new TopicPartition(topic, md.partition()), md.offset() + 1, readBackTimeout);
    }

    /** Writes several records of one topic, then waits until the view has read them all. */
    void writeAll(ControlTopic to, java.util.Map<String, byte[]> records) {
        String topic = to.name();
        java.util.List<java.util.concurrent.Future<RecordMetadata>> sent = new java.util.ArrayList<>();
        records.forEach((key, value) -> sent.add(producer().send(new ProducerRecord<>(topic, key, value))));
        java.util.Map<Integer, Long> ends = new java.util.HashMap<>();
        for (var f : sent) {
            try {
                RecordMetadata md = f.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                ends.merge(md.partition(), md.offset() + 1, Math::max);
            } catch (ExecutionException e) {
                throw new ControlPlaneException("Cannot write to " + topic + " at " + bootstrap + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new ControlPlaneException("Cannot write to " + topic + " at " + bootstrap + " within "
                        + SEND_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlPlaneException("interrupted", e);
            }
        }
        ends.forEach((partition, end) -> view.awaitPosition(new TopicPartition(topic, partition), end, readBackTimeout));
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("control plane closed");
        }
        if (producer == null) {
            producer = KafkaClients.producer(KafkaClients.producerConfig(bootstrap, "perkamo-control-writer"),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
