package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.testing.TestKafka;

class TopicReadinessIT {
    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void shouldReturnOnceEveryPartitionOfNewTopicsAnswers() throws Exception {
        // given two topics created a moment ago
        String a = TestKafka.uniqueSlug("ready-a");
        String b = TestKafka.uniqueSlug("ready-b");
        admin.createTopics(List.of(new NewTopic(a, 3, (short) 1), new NewTopic(b, 2, (short) 1))).all().get();

        // when we wait for their leaders
        TopicReadiness.awaitLeaders(admin, List.of(a, b), Duration.ofSeconds(30));

        // then every partition answers a ListOffsets request without any retry
        Map<TopicPartition, OffsetSpec> all = new java.util.HashMap<>();
        for (int p = 0; p < 3; p++) {
            all.put(new TopicPartition(a, p), OffsetSpec.latest());
        }
        for (int p = 0; p < 2; p++) {
            all.put(new TopicPartition(b, p), OffsetSpec.latest());
        }
        assertThat(admin.listOffsets(all).all().get(5, java.util.concurrent.TimeUnit.SECONDS)).hasSize(5);
    }

    @Test
    void shouldKeepEveryRecordProducedRightAfterReadiness() throws Exception {
        // given a topic created and awaited
        String topic = TestKafka.uniqueSlug("ready-produce");
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        TopicReadiness.awaitLeaders(admin, List.of(topic), Duration.ofSeconds(30));

        // when records are produced at once
        int count = 5_000;
        Properties p = new Properties();
        p.put("bootstrap.servers", TestKafka.bootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }

        // then all of them are in the topic
        assertThat(countRecords(topic, 4)).isEqualTo(count);
    }

    @Test
    void shouldNameTheTopicsThatNeverBecomeReady() {
        // given a topic that does not exist next to one that does
        String missing = TestKafka.uniqueSlug("ready-missing");

        // when / then
        assertThatThrownBy(() -> TopicReadiness.awaitLeaders(admin, List.of(missing), Duration.ofMillis(800)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("not ready");
    }

    @Test
    void shouldOnlyNameTheTopicsThatAreNotReady() throws Exception {
        // given one existing topic and one missing
        String present = TestKafka.uniqueSlug("ready-present");
        String missing = TestKafka.uniqueSlug("ready-absent");
        admin.createTopics(List.of(new NewTopic(present, 1, (short) 1))).all().get();

        // when / then
        assertThatThrownBy(() -> TopicReadiness.awaitLeaders(admin, List.of(present, missing),
                Duration.ofSeconds(2)))
                .hasMessageContaining(missing)
                .hasMessageNotContaining(present);
    }

    private static long countRecords(String topic, int partitions) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestKafka.bootstrapServers());
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long seen = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            return seen;
        }
    }
}
