package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.local.DemoSpace;
import io.perkamo.topics.Topics;
import io.perkamo.stream.ProfileStoreQuery;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.RunningNode;

/**
 * Two instances sharing one application id: ingest through one, read every user through
 * both; reads for keys the other instance owns are forwarded to it. Then one leaves: the other
 * answers everything itself (what it kept about the old owners is dropped at the rebalance).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 30;

    /** A, which sets up the Space, then B: the second instance of the same application. */
    @RegisterExtension
    @Order(1)
    static final RunningNode a = RunningNode.builder().space("two", 6).program(DemoSpace.program())
            .ingestTimeout(Duration.ofSeconds(20)).build();
    @RegisterExtension
    @Order(2)
    static final RunningNode b = RunningNode.builder().joining(a).ingestTimeout(Duration.ofSeconds(20)).build();
    private static String space;

    @BeforeAll
    static void awaitBoth() throws Exception {
        space = a.space();
        awaitBothOwnPartitionsOf(Topics.EVENTS.name(space));
    }

    @Test
    @Order(1)
    void shouldAnswerTheSameProfileThroughEitherInstanceForwardingReadsToTheOwner() throws Exception {
        // given: 30 users ingested through A (one batch of 90 inputs)
        List<String> users = new ArrayList<>();
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < USERS; i++) {
            String user = "account:acme/" + i;
            users.add(user);
            events.addObject().put("user_id", user).put("event", "user.registered").put("transaction_id", "r-" + i);
            for (int l = 0; l <= i % 3; l++) {
                events.addObject().put("user_id", user).put("event", "lesson.finished").put("transaction_id", "l-" + l);
            }
        }
        ObjectNode batch = JSON.createObjectNode();
        batch.set("events", events);
        JsonNode results = post(a, "/v1/events:batch", batch.toString()).path("results");
        assertThat(results).hasSize(events.size());
        assertThat(results).allSatisfy(r -> assertThat(r.path("applied").asBoolean()).as(r.toString()).isTrue());

        // when: every user read through both instances
        int remoteOnA = 0;
        int remoteOnB = 0;
        for (int i = 0; i < USERS; i++) {
            String user = users.get(i);
            JsonNode viaA = read(a, user);
            JsonNode viaB = read(b, user);

            // then: the same profile, with what A ingested
            assertThat(viaB).as("profile of %s through B", user).isEqualTo(viaA);
            assertThat(viaA.path("user_id").asText()).isEqualTo(user);
            assertThat(viaA.path("wallets").path("points").asLong()).isEqualTo(50);
            assertThat(viaA.path("wallets").path("xp").asLong()).isEqualTo(20L * (i % 3 + 1));

            ProfileStoreQuery.Location onA = a.streams().profiles().locate(space, user);
            ProfileStoreQuery.Location onB = b.streams().profiles().locate(space, user);
            assertThat(List.of(onA, onB)).as("exactly one instance owns %s", user)
                    .filteredOn(l -> l instanceof ProfileStoreQuery.Local).hasSize(1);
            remoteOnA += onA instanceof ProfileStoreQuery.Remote ? 1 : 0;
            remoteOnB += onB instanceof ProfileStoreQuery.Remote ? 1 : 0;
        }
        assertThat(remoteOnA).as("reads through A forwarded to B").isPositive();
        assertThat(remoteOnB).as("reads through B forwarded to A").isPositive();
    }

    @Test
    @Order(2)
    void shouldAnswerEverythingLocallyOnceTheOtherInstanceHasLeft() throws Exception {
        // given: reads through A answered for every user, half of them forwarded to B (A keeps B as their owner)
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add("account:acme/" + i);
            read(a, users.get(i));
        }
        assertThat(users).anyMatch(u -> a.streams().profiles().locate(space, u) instanceof ProfileStoreQuery.Remote);

        // when: B leaves and A takes over its partitions
        b.close();
        Eventually.await(Duration.ofSeconds(60), () -> a.streams().kafkaStreams().metadataForAllStreamsClients().size() == 1
                && a.streams().isRunning(), "A alone and running");

        // then: A answers every user from its own store, not by forwarding to the instance that left
        for (String user : users) {
            JsonNode profile = read(a, user);
            assertThat(profile.path("user_id").asText()).isEqualTo(user);
            assertThat(a.streams().profiles().locate(space, user)).as(user).isInstanceOf(ProfileStoreQuery.Local.class);
        }
    }

    // --- helpers

    /** After the rebalance that B's arrival starts: both instances RUNNING and each active for some partitions. */
    private static void awaitBothOwnPartitionsOf(String topic) throws Exception {
        Eventually.await(Duration.ofSeconds(60), () -> {
            if (!a.streams().isRunning() || !b.streams().isRunning()) {
                return false;
            }
            Collection<StreamsMetadata> all = a.streams().kafkaStreams().metadataForAllStreamsClients();
            long owners = all.stream().filter(m -> m.topicPartitions().stream()
                    .anyMatch(tp -> tp.topic().equals(topic))).count();
            return owners == 2;
        }, "the two instances sharing the partitions of " + topic);
    }

    private static JsonNode post(RunningNode node, String path, String body) throws Exception {
        return node.api().post(path, body, 200);
    }

    /** A profile read; a 503 while the instances settle is retried (for 30 s), anything else fails. */
    private static JsonNode read(RunningNode node, String user) throws Exception {
        String path = "/v1/customer/" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Eventually.holdsWithin(Duration.ofSeconds(30), () -> {
            last.set(node.api().get(path));
            return last.get().statusCode() != 503;
        });
        HttpResponse<String> response = last.get();
        assertThat(response.statusCode()).as("%s: %s", node.api().uri(path), response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-perkamo-request-id")).isPresent();
        return ApiClient.json(response);
    }
}
