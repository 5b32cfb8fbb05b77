package io.perkamo.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.TopicReadiness;

/**
 * The registry's storage: one compacted, single-partition topic (Confluent's `_schemas`
 * layout). Reads it from the start to fold the state, appends with acks=all. Not
 * thread-safe; the server calls it under its lock.
 */
final class SchemaLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);

    private final String bootstrapServers;
    private final String topic;
    private final TopicPartition partition;
    private final Duration timeout;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;

    SchemaLog(String bootstrapServers, String topic, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.timeout = timeout;
    }

    /** Creates the topic when absent, waits for its leader, opens the clients. */
    void open() {
        try (Admin admin = Admin.create(Map.of(
                "bootstrap.servers", bootstrapServers,
                "client.id", "perkamo-schema-registry-admin"))) {
            createIfAbsent(admin);
            TopicReadiness.awaitReady(admin, List.of(topic), timeout);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", "perkamo-schema-registry");
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("client.id", "perkamo-schema-registry-reader");
        c.put("enable.auto.commit", "false");
        c.put("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Folds every record up to the current end of the topic into the state. */
    void catchUp(RegistryState state) {
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read topic " + topic + " to its end (offset " + end
                        + ") within " + timeout.toMillis() + " ms");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                try {
                    SchemaRecords.applyTo(state, r.key(), r.value());
                } catch (RuntimeException e) {
                    log.warn("Skipped an unreadable record in {} at offset {}: {}", topic, r.offset(), e.getMessage());
                }
            }
        }
    }

    /** Appends one record and returns once the broker acknowledged it (value null: tombstone). */
    void append(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new RegistryException(500, RegistryException.STORE_ERROR,
                    "Error while writing to the schema store: " + cause.getMessage());
        } catch (TimeoutException e) {
            throw new RegistryException(500, 50002, "Timed out writing to the schema store");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(500, RegistryException.STORE_ERROR, "Interrupted writing to the schema store");
        }
    }

    String topic() {
        return topic;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }

    private void createIfAbsent(Admin admin) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact"));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created schema topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create schema topic " + topic + ": "
                        + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create schema topic " + topic + ": the broker at "
                    + bootstrapServers + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating schema topic " + topic, e);
        }
        requireOnePartition(admin);
    }

    private void requireOnePartition(Admin admin) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (d.partitions().size() != 1) {
                throw new IllegalStateException("schema topic " + topic + " has " + d.partitions().size()
                        + " partitions; the registry needs exactly 1");
            }
        } catch (ExecutionException | TimeoutException e) {
            // TopicReadiness retries and reports what is wrong with the topic
            log.debug("describe of {} deferred to the readiness check", topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking schema topic " + topic, e);
        }
    }
}
