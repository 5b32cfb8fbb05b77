package io.perkamo.usage;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.Topics;

/**
 * Reads a Space's usage topic from the start to its end (read_committed: only counts the meters
 * committed), the latest record per date winning. For readers without the meters' store: the CLI.
 */
public final class UsageLog {
    private UsageLog() {
    }

    public static List<UsageDay> read(String bootstrap, String space, LocalDate from, LocalDate to) {
        String topic = Topics.USAGE.name(space);
        TreeMap<LocalDate, UsageCounts> latest = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(
                KafkaClients.consumerConfig(bootstrap, "perkamo-usage-reader"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("no topic " + topic + ": is the Space created?");
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        UsageDay day = UsageDay.SERDE.deserializer().deserialize(topic, r.value());
                        latest.put(day.date(), day.counts());
                    }
                }
            }
        }
        List<UsageDay> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            days.add(new UsageDay(space, d, latest.getOrDefault(d, UsageCounts.ZERO)));
        }
        return days;
    }
}
