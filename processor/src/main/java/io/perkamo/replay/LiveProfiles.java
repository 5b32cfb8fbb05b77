package io.perkamo.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.perkamo.schemas.Json;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.wire.ConfluentWire;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.TopicsException;

/**
 * The live profiles topic as an audit compares against it: the last record of each user, as
 * bytes, and the profile version it holds (which input of the user wrote it: a profile is
 * written exactly when an input is applied, and each application adds one to the version).
 */
final class LiveProfiles {
    private final Map<String, byte[]> last;
    private final Map<String, Long> versions;

    private LiveProfiles(Map<String, byte[]> last, Map<String, Long> versions) {
        this.last = last;
        this.versions = versions;
    }

    static LiveProfiles of(Map<String, byte[]> last, Deserializer<Profile> avro) {
        Map<String, Long> versions = new HashMap<>(last.size() * 4 / 3 + 1);
        last.forEach((user, bytes) -> versions.put(user, version(bytes, avro)));
        return new LiveProfiles(last, versions);
    }

    /** Reads the topic (read_committed) up to the end it has now. */
    static LiveProfiles read(String bootstrap, String topic, Deserializer<Profile> avro) {
        Map<String, Object> config = KafkaClients.consumerConfig(bootstrap, "perkamo-replay-profiles");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        Map<String, byte[]> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                throw new TopicsException("topic " + topic + " does not exist");
            }
            List<TopicPartition> tps = new ArrayList<>();
            infos.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            List<TopicPartition> open = new ArrayList<>(tps);
            open.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(60).toNanos()) {
                    throw new TopicsException("no records from " + topic + " for 60 s while short of its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.key() == null || r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    String user = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        last.remove(user);
                    } else {
                        last.put(user, r.value());
                    }
                }
                open.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            }
        }
        return of(last, avro);
    }

    /** The user's last live profile record, when there is one. */
    Optional<byte[]> bytes(String userId) {
        return Optional.ofNullable(last.get(userId));
    }

    /** The version of the user's last live profile; 0 when there is none. */
    long version(String userId) {
        Long v = versions.get(userId);
        return v == null ? 0 : v;
    }

    Map<String, byte[]> all() {
        return last;
    }

    private static long version(byte[] bytes, Deserializer<Profile> avro) {
        if (ConfluentWire.isFramed(bytes)) {
            return avro.deserialize(null, bytes).getVersion();
        }
        // only the top-level "version": a streaming read stops there instead of building the tree
        try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("a live profile record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("version".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    return p.getLongValue();
                }
                p.skipChildren();
            }
            throw new IllegalStateException("a live profile record has no version");
        } catch (IOException e) {
            throw new IllegalStateException("a live profile record is not JSON: " + e.getMessage(), e);
        }
    }
}
