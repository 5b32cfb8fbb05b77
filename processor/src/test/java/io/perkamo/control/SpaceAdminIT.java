package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.control.keys.MasterKey;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.Topics;

class SpaceAdminIT {
    private static ControlPlane cp;
    private static SpaceAdmin spaces;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(TestKafka.bootstrapServers(), MasterKey.generate());
        spaces = new SpaceAdmin(cp);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void shouldCreateFourTopicsWithThePartitionCountAndCompactedProfiles() throws Exception {
        String slug = TestKafka.uniqueSlug("topics");

        Space space = spaces.create(slug, "live", Optional.of("Acme"), 3);

        assertThat(space.environment()).isEqualTo(Environment.LIVE);
        assertThat(space.name()).isEqualTo("Acme");
        assertThat(space.settings().requireSignatures()).isFalse();
        assertThat(cp.space(slug)).contains(space);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            List<String> topics = List.of(Topics.EVENTS.name(slug), Topics.OUTCOMES.name(slug),
                    Topics.PROFILES.name(slug), Topics.DLQ.name(slug));
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
            assertThat(described).hasSize(4);
            described.values().forEach(d -> assertThat(d.partitions()).hasSize(3));
            Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
            Map<String, String> policy = new java.util.HashMap<>();
            configs.forEach((r, c) -> policy.put(r.name(), c.get("cleanup.policy").value()));
            assertThat(policy).containsExactlyInAnyOrderEntriesOf(Map.of(
                    Topics.EVENTS.name(slug), "delete", Topics.OUTCOMES.name(slug), "delete",
                    Topics.PROFILES.name(slug), "compact", Topics.DLQ.name(slug), "delete"));
        }
    }

    @Test
    void shouldDefaultTheNameToTheSlug() {
        String slug = TestKafka.uniqueSlug("noname");

        assertThat(spaces.create(slug, "test", Optional.empty(), 1).name()).isEqualTo(slug);
    }

    @Test
    void shouldTakeEveryRecordProducedRightAfterCreation() throws Exception {
        String slug = TestKafka.uniqueSlug("ready");
        spaces.create(slug, "test", Optional.empty(), 6);
        String topic = Topics.EVENTS.name(slug);
        int count = 3000;

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer())) {
            var futures = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "user-" + i, "v" + i)));
            }
            for (var f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Eventually.eventually(Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.value());
                }
                assertThat(seen).hasSize(count);
            });
        }
    }

    @Test
    void shouldRefuseToCreateASpaceTwice() {
        String slug = TestKafka.uniqueSlug("twice");
        spaces.create(slug, "test", Optional.of("First"), 1);

        assertThatThrownBy(() -> spaces.create(slug, "live", Optional.of("Second"), 1))
                .isInstanceOf(SpaceExistsException.class)
                .hasMessage("Space '" + slug + "' already exists");
        assertThat(cp.space(slug).orElseThrow().name()).isEqualTo("First");
    }

    @Test
    void shouldReuseTopicsLeftByAnInterruptedCreation() throws Exception {
        String slug = TestKafka.uniqueSlug("retry");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(Topics.EVENTS.name(slug), 2,
                    (short) 1))).all().get();
        }

        Space space = spaces.create(slug, "test", Optional.empty(), 2);

        assertThat(cp.space(slug)).contains(space);
    }

    @Test
    void shouldRefuseTopicsLeftWithAnotherPartitionCount() throws Exception {
        String slug = TestKafka.uniqueSlug("mismatch");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(Topics.EVENTS.name(slug), 2,
                    (short) 1))).all().get();
        }

        assertThatThrownBy(() -> spaces.create(slug, "test", Optional.empty(), 3))
                .isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("already exists with 2 partitions");
        assertThat(cp.space(slug)).isEmpty();
    }

    @Test
    void shouldRejectBadInputBeforeTouchingKafka() {
        assertThatThrownBy(() -> spaces.create("Bad", "test", Optional.empty(), 1))
                .hasMessageContaining("Invalid Space slug 'Bad'");
        assertThatThrownBy(() -> spaces.create("good", "staging", Optional.empty(), 1))
                .hasMessageContaining("use test or live");
        assertThatThrownBy(() -> spaces.create("good", "test", Optional.empty(), 0))
                .hasMessageContaining("partitions");
    }

    @Test
    void shouldRefuseMorePartitionsThanTheExistingSpacesHave() {
        // the run's first Space (TestKafka's anchor) has the most partitions any Space may have
        String slug = TestKafka.uniqueSlug("wide");

        assertThatThrownBy(() -> spaces.create(slug, "test", Optional.empty(), TestKafka.MAX_PARTITIONS + 1))
                .isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("at most " + TestKafka.MAX_PARTITIONS);
        assertThat(cp.space(slug)).isEmpty();
        assertThat(spaces.defaultPartitions()).isEqualTo(TestKafka.MAX_PARTITIONS);
    }

    @Test
    void shouldShareSettingsWithOtherInstances() {
        String slug = TestKafka.uniqueSlug("settings");
        spaces.create(slug, "test", Optional.empty(), 1);

        spaces.setRequireSignatures(slug, true);

        try (ControlPlane other = ControlPlane.startWithoutMasterKey(TestKafka.bootstrapServers())) {
            assertThat(other.space(slug).orElseThrow().settings().requireSignatures()).isTrue();
        }
        assertThatThrownBy(() -> spaces.setRequireSignatures(TestKafka.uniqueSlug("nope"), true))
                .isInstanceOf(UnknownSpaceException.class);
    }
}
