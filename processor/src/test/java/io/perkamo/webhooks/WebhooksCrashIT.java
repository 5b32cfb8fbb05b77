package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.WebhookEndpoints;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.local.EmbeddedKafkaBroker;
import io.perkamo.testing.ChildJvm;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.Topics;

/**
 * At least once across a crash: the sender (a whole {@code perkamo run} in a child JVM) is
 * SIGKILLed while deliveries are in flight and retrying; after a restart on the same state,
 * every outcome is delivered, each delivery id at least once, and no outcome gets a new id.
 */
class WebhooksCrashIT {
    private static final int EVENTS = 120;

    @Test
    void shouldDeliverEveryOutcomeWithItsDeliveryIdAfterTheSenderIsKilled() throws Exception {
        // given a Space with an endpoint that fails every first attempt, and a sender in a child JVM
        String bootstrap = TestKafka.bootstrapServers();
        String slug = TestKafka.uniqueSlug("hooks-crash");
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        String masterBase64 = java.util.Base64.getEncoder().encodeToString(secret);
        MasterKey master = MasterKey.fromBase64(masterBase64);
        Path work = Files.createTempDirectory("webhooks-crash");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.on("/crash", n -> {
                if (n == 1) {
                    return new TestReceiver.Answer(503, Map.of());
                }
                Thread.sleep(20);
                return new TestReceiver.Answer(200, Map.of());
            });
            String endpointId;
            try (ControlPlane cp = ControlPlane.start(bootstrap, master)) {
                new SpaceAdmin(cp).create(slug, "test", Optional.empty(), 3);
                endpointId = new WebhookEndpoints(cp).create(slug, receiver.url("/crash"), List.of("crash.happened"))
                        .endpoint().id();
            }
            int port = EmbeddedKafkaBroker.freePort();
            List<String> args = List.of("run", "--bootstrap-servers", bootstrap, "--port", Integer.toString(port),
                    "--application-id", slug, "--state-dir", work.resolve("state").toString(),
                    "--webhook-retry-schedule", "1s,1s,1s,1s,1s,1s");
            Map<String, String> env = Map.of(MasterKey.ENV, masterBase64, "PERKAMO_HOME", work.resolve("home").toString());
            Path log = Path.of("target", "webhooks-crash", slug + ".log");
            ChildJvm sender = ChildJvm.start("sender", List.of("-Xmx512m"), "io.perkamo.cli.PerkamoCli", args, env, log);
            try {
                sender.awaitLine("Perkamo is ready", Duration.ofMinutes(3));

                // when events arrive and the sender is killed while their deliveries are in flight or retrying
                produce(bootstrap, slug);
                Eventually.await(Duration.ofMinutes(2), () -> receiver.received("/crash").size() >= EVENTS / 3,
                        "a third of the first attempts arrived");
                sender.kill();
                Set<String> beforeTheKill = ids(receiver.received("/crash"));
                long succeededBefore = receiver.received("/crash").stream().filter(r -> r.answered() == 200).count();
                assertThat(succeededBefore).as("deliveries were still pending at the kill").isLessThan(EVENTS);
                sender = ChildJvm.start("sender", List.of("-Xmx512m"), "io.perkamo.cli.PerkamoCli", args, env, log);
                sender.awaitLine("Perkamo is ready", Duration.ofMinutes(3));

                // then every outcome's delivery succeeds, with the ids derived from the outcomes
                Set<String> expected = expectedIds(bootstrap, slug, endpointId);
                assertThat(expected).hasSize(EVENTS);
                Eventually.await(Duration.ofMinutes(3), () -> ids(receiver.received("/crash").stream()
                        .filter(r -> r.answered() == 200).toList()).containsAll(expected),
                        "every delivery succeeded once at least");
                Set<String> all = ids(receiver.received("/crash"));
                assertThat(all).isEqualTo(expected);
                assertThat(expected).containsAll(beforeTheKill);
                // every one of them was signed as one delivery: its attempts count up from 1
                for (String id : expected) {
                    List<Integer> attempts = receiver.received("/crash").stream().filter(r -> r.delivery().equals(id))
                            .map(TestReceiver.Received::attempt).sorted().toList();
                    assertThat(attempts.get(0)).as(id).isEqualTo(1);
                }
            } finally {
                sender.kill();
            }
        }
    }

    private static void produce(String bootstrap, String slug) {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(
                KafkaClients.producerConfig(bootstrap, "crash-producer"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                String user = "user-" + (i % 17);
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(slug), user, "{\"user_id\":\"" + user
                        + "\",\"event\":\"crash.happened\",\"transaction_id\":\"crash-" + i + "\"}"));
            }
            producer.flush();
        }
    }

    /** The delivery ids of the committed applied outcomes, derived as the sender derives them. */
    private static Set<String> expectedIds(String bootstrap, String slug, String endpointId) throws Exception {
        return Eventually.eventually(Duration.ofMinutes(2), () -> {
            Set<String> ids = new HashSet<>();
            try (KafkaConsumer<String, String> c = TestKafka.committedConsumer(new StringDeserializer(),
                    new StringDeserializer())) {
                c.subscribe(List.of(Topics.OUTCOMES.name(slug)));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (ids.size() < EVENTS && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        if (r.value().contains("\"status\":\"applied\"") && r.value().contains("\"duplicate\":false")) {
                            ids.add(DeliveryIds.deliveryId(endpointId, DeliveryIds.eventId(slug, r.partition(),
                                    r.offset())));
                        }
                    }
                }
            }
            assertThat(ids).hasSize(EVENTS);
            return ids;
        });
    }

    private static Set<String> ids(List<TestReceiver.Received> requests) {
        return requests.stream().map(TestReceiver.Received::delivery).collect(Collectors.toSet());
    }
}
