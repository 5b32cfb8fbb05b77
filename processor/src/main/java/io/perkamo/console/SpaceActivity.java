package io.perkamo.console;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.Topics;

/**
 * How busy a Space is, from its outcomes topic's offsets (no records read): about how many
 * outcomes it holds (offsets count transaction markers too) and when the latest was written.
 */
final class SpaceActivity implements AutoCloseable {
    record Activity(long outcomes, Optional<Instant> latest) {
    }

    private final Admin admin;

    SpaceActivity(String bootstrapServers) {
        this.admin = KafkaClients.admin(bootstrapServers, "perkamo-console");
    }

    /** Per slug; a Space whose topic cannot be read now is left out. */
    Map<String, Activity> of(List<String> slugs) {
        Map<String, Activity> out = new HashMap<>();
        if (slugs.isEmpty()) {
            return out;
        }
        try {
            List<String> topics = slugs.stream().map(Topics.OUTCOMES::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> newest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
                newest.put(tp, OffsetSpec.maxTimestamp());
            }));
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> begins = admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> times = admin.listOffsets(newest).all().get(5, TimeUnit.SECONDS);
            for (String slug : slugs) {
                String topic = Topics.OUTCOMES.name(slug);
                long count = 0;
                long newestMs = -1;
                for (TopicPartition tp : ends.keySet()) {
                    if (tp.topic().equals(topic)) {
                        count += ends.get(tp).offset() - begins.get(tp).offset();
                        newestMs = Math.max(newestMs, times.get(tp).timestamp());
                    }
                }
                if (described.containsKey(topic)) {
                    out.put(slug, new Activity(count, newestMs < 0 ? Optional.empty()
                            : Optional.of(Instant.ofEpochMilli(newestMs))));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // activity is a hint: the list still shows without it
        }
        return out;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
