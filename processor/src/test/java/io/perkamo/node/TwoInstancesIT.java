package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.DemoSpace;
import io.perkamo.control.MasterKey;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.topics.Topics;
import io.perkamo.stream.PerkamoStreams;
import io.perkamo.stream.ProfileStoreQuery;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.OutputFormat;

/**
 * Two instances sharing one application id: ingest through one, read every user through
 * both; reads for keys the other instance owns are forwarded to it. Then one leaves: the other
 * answers everything itself (what it kept about the old owners is dropped at the rebalance).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int USERS = 30;

    private static PerkamoNode a;
    private static PerkamoNode b;
    private static String space;
    private static String serverKey;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        String applicationId = "perkamo-two-" + System.nanoTime();
        MasterKey master = MasterKey.generate();
        a = PerkamoNode.start(settings(bootstrap, applicationId, master));
        space = TestKafka.uniqueSlug("two");
        new SpaceAdmin(a.control()).create(space, "test", Optional.empty(), 6);
        serverKey = new ApiKeys(a.control()).create(space, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
        new ProgramStore(a.control()).publish(space, DemoSpace.program(), Instant.EPOCH);
        b = PerkamoNode.start(settings(bootstrap, applicationId, master));
        a.awaitReady(Duration.ofSeconds(60));
        b.awaitReady(Duration.ofSeconds(60));
        awaitBothOwnPartitionsOf(Topics.EVENTS.name(space));
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
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
        b = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (a.streams().kafkaStreams().metadataForAllStreamsClients().size() != 1 || !a.streams().isRunning()) {
            assertThat(System.currentTimeMillis()).as("A alone and running").isLessThan(deadline);
            Thread.sleep(100);
        }

        // then: A answers every user from its own store, not by forwarding to the instance that left
        for (String user : users) {
            JsonNode profile = read(a, user);
            assertThat(profile.path("user_id").asText()).isEqualTo(user);
            assertThat(a.streams().profiles().locate(space, user)).as(user).isInstanceOf(ProfileStoreQuery.Local.class);
        }
    }

    // --- helpers

    private static PerkamoNode.Settings settings(String bootstrap, String applicationId, MasterKey master)
            throws Exception {
        return new PerkamoNode.Settings(bootstrap, Optional.empty(), freePort(), "localhost", applicationId,
                Files.createTempDirectory("perkamo-two"), 1, OutputFormat.JSON, Duration.ofDays(30),
                Duration.ofSeconds(20), master, Map.of());
    }

    /** After the rebalance that B's arrival starts: both instances RUNNING and each active for some partitions. */
    private static void awaitBothOwnPartitionsOf(String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (a.streams().isRunning() && b.streams().isRunning()) {
                Collection<StreamsMetadata> all = a.streams().kafkaStreams().metadataForAllStreamsClients();
                long owners = all.stream().filter(m -> m.topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(topic))).count();
                if (owners == 2) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the two instances did not share the partitions of " + topic);
    }

    private static JsonNode post(PerkamoNode node, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(node, path))
                .header("x-perkamo-api-key", serverKey).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A profile read; a 503 while the instances settle is retried, anything else fails. */
    private static JsonNode read(PerkamoNode node, String user) throws Exception {
        URI uri = uri(node, "/v1/customer/" + URLEncoder.encode(user, StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                    .header("x-perkamo-api-key", serverKey).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                continue;
            }
            assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-perkamo-request-id")).isPresent();
            return JSON.readTree(response.body());
        }
    }

    private static URI uri(PerkamoNode node, String path) {
        return URI.create("http://localhost:" + node.apiPort() + path);
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
