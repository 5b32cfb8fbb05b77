package io.perkamo.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.testing.TestKafka;

class TopicReadinessIT {
    private static Admin admin;

    @BeforeAll
    static void start() {
        admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @Test
    void shouldRetryUntilATopicAppearsAndAllItsPartitionsAnswer() throws Exception {
        String topic = Topics.EVENTS.name(TestKafka.uniqueSlug("late"));

        CompletableFuture<Map<String, Integer>> waiting = CompletableFuture.supplyAsync(
                () -> TopicReadiness.awaitReady(admin, List.of(topic), Duration.ofSeconds(30)));
        Thread.sleep(500);
        assertThat(waiting).isNotDone();
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).containsExactly(Map.entry(topic, 3));
    }

    @Test
    void shouldFailClearlyWhenATopicNeverAppears() {
        String topic = Topics.EVENTS.name(TestKafka.uniqueSlug("never"));

        assertThatThrownBy(() -> TopicReadiness.awaitReady(admin, List.of(topic), Duration.ofSeconds(1)))
                .isInstanceOf(TopicsException.class)
                .hasMessageContaining("not ready within 1 s")
                .hasMessageContaining(topic);
    }
}
