package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.control.keys.MasterKey;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.TopicAdmin;
import io.perkamo.topics.ControlTopic;
import io.perkamo.topics.Topics;

class ControlPlaneIT {
    private static ControlPlane cp;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(TestKafka.bootstrapServers(), MasterKey.generate());
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void shouldKeepControlTopicsCompactedWithOnePartitionAndEnsureIdempotently() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            TopicAdmin.ensureControlTopics(admin);
            TopicAdmin.ensureControlTopics(admin);

            Map<String, TopicDescription> d = admin.describeTopics(Topics.CONTROL.stream().map(ControlTopic::name).toList()).allTopicNames().get();
            assertThat(d).hasSize(Topics.CONTROL.size());
            d.values().forEach(t -> assertThat(t.partitions()).hasSize(1));
            for (String t : Topics.CONTROL.stream().map(ControlTopic::name).toList()) {
                var r = new ConfigResource(ConfigResource.Type.TOPIC, t);
                assertThat(admin.describeConfigs(java.util.List.of(r)).all().get().get(r).get("cleanup.policy").value())
                        .isEqualTo("compact");
            }
        }
    }

    @Test
    void shouldRemoveEntriesOnTombstones() {
        String slug = TestKafka.uniqueSlug("tomb");
        new SpaceAdmin(cp).create(slug, "test", Optional.empty(), 1);
        CreatedKey key = new ApiKeys(cp).create(slug, ApiKeyRecord.Kind.SERVER, java.util.Set.of());
        new ProgramStore(cp).publish(slug, ControlJson.MAPPER.createObjectNode(), java.time.Instant.EPOCH);
        assertThat(cp.resolve(key.plaintext())).isPresent();

        cp.log().write(Topics.CONTROL_KEYS, key.id(), null);
        cp.log().write(Topics.CONTROL_PROGRAMS, ControlJson.programKey(slug, 1), null);
        cp.log().write(Topics.CONTROL_SPACES, slug, null);

        assertThat(cp.space(slug)).isEmpty();
        assertThat(cp.keys(slug)).isEmpty();
        assertThat(cp.keyByLookupHash(key.record().lookupHash())).isEmpty();
        assertThat(cp.resolve(key.plaintext())).isEmpty();
        assertThat(cp.programs(slug)).isEmpty();
    }

    @Test
    void shouldTellListenersAboutChangesFromOtherInstances() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        cp.onChange(calls::incrementAndGet);
        String slug = TestKafka.uniqueSlug("listen");

        try (ControlPlane other = ControlPlane.startWithoutMasterKey(TestKafka.bootstrapServers())) {
            new SpaceAdmin(other).create(slug, "test", Optional.empty(), 1);
        }
        cp.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(cp.space(slug)).isPresent();
        assertThat(calls.get()).isPositive();
    }

    @Test
    void shouldSkipUnreadableRecordsAndKeepGoing() {
        String slug = TestKafka.uniqueSlug("garbage");
        cp.log().write(Topics.CONTROL_SPACES, slug, "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        new SpaceAdmin(cp).create(slug, "test", Optional.empty(), 1);

        assertThat(cp.space(slug)).isPresent();
    }

    @Test
    void shouldRefuseKeyOperationsWithoutTheMasterKey() {
        try (ControlPlane reader = ControlPlane.startWithoutMasterKey(TestKafka.bootstrapServers())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.resolve("sk_test_x"))
                    .hasMessageContaining("without the master key");
        }
    }
}
