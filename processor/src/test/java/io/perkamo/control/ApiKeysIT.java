package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.testing.TestKafka;

class ApiKeysIT {
    private static final MasterKey MASTER = MasterKey.generate();
    private static ControlPlane writer;
    private static ControlPlane reader;
    private static ApiKeys keys;
    private static String testSpace;
    private static String liveSpace;

    @BeforeAll
    static void start() {
        writer = ControlPlane.start(TestKafka.bootstrapServers(), MASTER);
        reader = ControlPlane.start(TestKafka.bootstrapServers(), MASTER);
        keys = new ApiKeys(writer);
        testSpace = TestKafka.uniqueSlug("keys");
        liveSpace = TestKafka.uniqueSlug("keys-live");
        SpaceAdmin spaces = new SpaceAdmin(writer);
        spaces.create(testSpace, "test", Optional.empty(), 1);
        spaces.create(liveSpace, "live", Optional.empty(), 1);
    }

    @AfterAll
    static void stop() {
        reader.close();
        writer.close();
    }

    @Test
    void shouldResolveANewKeyOnAnotherInstance() {
        CreatedKey created = keys.create(testSpace, Kind.SERVER, Set.of());
        reader.awaitCaughtUp(Duration.ofSeconds(10));

        Optional<ResolvedKey> resolved = reader.resolve(created.plaintext());

        assertThat(created.plaintext()).matches("sk_test_[0-9A-Za-z]{32}");
        assertThat(created.id()).matches("key_[0-9A-Za-z]{16}");
        assertThat(resolved).isPresent();
        assertThat(resolved.get().space().slug()).isEqualTo(testSpace);
        assertThat(resolved.get().key().id()).isEqualTo(created.id());
        assertThat(resolved.get().key().scopes())
                .containsExactlyInAnyOrder("events:write", "profile:read", "rewards:redeem", "admin:config");
        assertThat(resolved.get().key().prefix()).isEqualTo(created.plaintext().substring(0, 12) + "…");
    }

    @Test
    void shouldPrefixKeysByEnvironmentAndKind() {
        assertThat(keys.create(liveSpace, Kind.SERVER, Set.of("events:write")).plaintext())
                .matches("sk_live_[0-9A-Za-z]{32}");
        CreatedKey browser = keys.create(liveSpace, Kind.BROWSER, Set.of());
        assertThat(browser.plaintext()).matches("pk_live_[0-9A-Za-z]{32}");
        assertThat(browser.record().browserPolicy()).isEmpty();
        assertThat(browser.record().effectivePolicy(Environment.LIVE)).isEqualTo(BrowserPolicy.LIVE_DEFAULT);
        assertThat(browser.record().tokenSecret()).isPresent();
        assertThat(keys.create(testSpace, Kind.BROWSER, Set.of()).plaintext()).startsWith("pk_test_");
    }

    @Test
    void shouldStopResolvingARevokedKeyEverywhere() {
        CreatedKey created = keys.create(testSpace, Kind.SERVER, Set.of());
        reader.awaitCaughtUp(Duration.ofSeconds(10));
        assertThat(reader.resolve(created.plaintext())).isPresent();

        keys.revoke(created.id());
        reader.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(reader.resolve(created.plaintext())).isEmpty();
        assertThat(reader.keyByLookupHash(created.record().lookupHash()).orElseThrow().revoked()).isTrue();
        keys.revoke(created.id());
        assertThatThrownBy(() -> keys.revoke("key_doesnotexist00")).hasMessageContaining("does not exist");
    }

    @Test
    void shouldNotResolveUnknownOrAlteredKeys() {
        CreatedKey created = keys.create(testSpace, Kind.SERVER, Set.of());
        String p = created.plaintext();
        String altered = p.substring(0, p.length() - 1) + (p.endsWith("a") ? "b" : "a");

        assertThat(writer.resolve(altered)).isEmpty();
        assertThat(writer.resolve("")).isEmpty();
        assertThat(writer.resolve(null)).isEmpty();
    }

    @Test
    void shouldNotResolveWithAnotherMasterKey() {
        CreatedKey created = keys.create(testSpace, Kind.SERVER, Set.of());

        try (ControlPlane stranger = ControlPlane.start(TestKafka.bootstrapServers(), MasterKey.generate())) {
            assertThat(stranger.resolve(created.plaintext())).isEmpty();
            assertThat(new ApiKeys(stranger).reveal(created.record())).isEmpty();
        }
        assertThat(keys.reveal(created.record())).contains(created.plaintext());
    }

    @Test
    void shouldImportAFixedKeyIdempotently() {
        String fixed = "sk_test_fixedDevKey" + TestKafka.uniqueSlug("k").replace("-", "");

        CreatedKey first = keys.importKey(testSpace, Kind.SERVER, fixed, Set.of());
        CreatedKey second = keys.importKey(testSpace, Kind.SERVER, fixed, Set.of());

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(writer.keys(testSpace).stream().filter(k -> k.id().equals(first.id()))).hasSize(1);
        assertThat(reader.resolve(fixed)).isPresent();
        assertThatThrownBy(() -> keys.importKey(testSpace, Kind.SERVER, "sk_live_abcdefghij", Set.of()))
                .hasMessageContaining("must be sk_test_");
        assertThatThrownBy(() -> keys.importKey(liveSpace, Kind.SERVER, fixed.replace("_test_", "_live_"),
                Set.of("bogus"))).hasMessageContaining("Unknown scope");
    }

    @Test
    void shouldListTheKeysOfASpaceOnly() {
        String other = TestKafka.uniqueSlug("keys-list");
        new SpaceAdmin(writer).create(other, "test", Optional.empty(), 1);
        CreatedKey a = keys.create(other, Kind.SERVER, Set.of());
        CreatedKey b = keys.create(other, Kind.BROWSER, Set.of());

        List<ApiKeyRecord> listed = writer.keys(other);

        assertThat(listed).extracting(ApiKeyRecord::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThatThrownBy(() -> keys.create(TestKafka.uniqueSlug("ghost"), Kind.SERVER, Set.of()))
                .isInstanceOf(UnknownSpaceException.class);
    }

    @Test
    void shouldUpdateABrowserPolicy() {
        CreatedKey browser = keys.create(testSpace, Kind.BROWSER, Set.of());
        BrowserPolicy policy = new BrowserPolicy(List.of("https://shop.example"), List.of("page.viewed"), 300);

        keys.setBrowserPolicy(browser.id(), policy);
        reader.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(reader.key(browser.id()).orElseThrow().browserPolicy()).contains(policy);
    }

    @Test
    void shouldGoBackToTheEnvironmentsDefaultPolicyAndRefuseBadEvents() {
        CreatedKey browser = keys.create(testSpace, Kind.BROWSER, Set.of());
        keys.setBrowserPolicy(browser.id(), new BrowserPolicy(List.of("https://shop.example"), List.of("*"), 300));

        ApiKeyRecord reset = keys.setBrowserPolicy(browser.id(), Optional.empty());

        assertThat(reset.browserPolicy()).isEmpty();
        assertThat(reset.effectivePolicy(Environment.TEST)).isEqualTo(BrowserPolicy.TEST_DEFAULT);
        assertThatThrownBy(() -> keys.setBrowserPolicy(browser.id(),
                new BrowserPolicy(List.of(), List.of("Purchase"), 300)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid event 'Purchase'");
    }

    @Test
    void shouldKeepARotatedKeyWorkingUntilTheChosenTime() {
        CreatedKey old = keys.create(testSpace, Kind.SERVER, Set.of("events:write"));
        java.time.Instant until = java.time.Instant.now().plus(Duration.ofHours(1));

        ApiKeys.Rotated rotated = keys.rotate(old.id(), until);
        reader.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(rotated.created().record().scopes()).containsExactly("events:write");
        assertThat(rotated.old().expiresAt()).contains(until.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(reader.resolve(old.plaintext())).isPresent();
        assertThat(reader.resolve(rotated.created().plaintext())).isPresent();

        keys.rotate(rotated.created().id(), java.time.Instant.EPOCH);
        reader.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(reader.resolve(rotated.created().plaintext())).isEmpty();
        assertThat(reader.key(rotated.created().id()).orElseThrow().status(java.time.Instant.now())).isEqualTo("expired");
        assertThatThrownBy(() -> keys.rotate(rotated.created().id(), until)).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void shouldCreateSigningKeysOnlyForABrowserKeyAndNeverResolveThemAsApiKeys() {
        CreatedKey browser = keys.create(testSpace, Kind.BROWSER, Set.of());
        CreatedKey server = keys.create(testSpace, Kind.SERVER, Set.of());

        CreatedKey signing = keys.createSigningKey(browser.id(), Set.of());
        reader.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(signing.id()).matches("kid_[0-9A-Za-z]{16}");
        assertThat(signing.plaintext()).matches("sig_test_[0-9A-Za-z]{43}");
        assertThat(signing.record().browserKeyId()).contains(browser.id());
        assertThat(reader.resolve(signing.plaintext())).isEmpty();
        assertThat(reader.signingSecret(reader.key(signing.id()).orElseThrow())).contains(signing.plaintext());
        assertThatThrownBy(() -> keys.createSigningKey(server.id(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a browser key");
        assertThatThrownBy(() -> keys.create(testSpace, Kind.SIGNING, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRecordLastUseOncePerFlushNotPerRequest() throws Exception {
        CreatedKey created = keys.create(testSpace, Kind.SERVER, Set.of());
        reader.awaitCaughtUp(Duration.ofSeconds(10));
        reader.flushKeyUsage();
        long before = usageEndOffset();

        for (int i = 0; i < 3; i++) {
            assertThat(reader.resolve(created.plaintext())).isPresent();
        }
        assertThat(reader.lastUsed(created.id())).isPresent();
        assertThat(writer.lastUsed(created.id())).isEmpty();
        reader.flushKeyUsage();
        writer.awaitCaughtUp(Duration.ofSeconds(10));

        assertThat(writer.lastUsed(created.id())).isEqualTo(reader.lastUsed(created.id()));
        assertThat(usageRecordsSince(before, created.id())).isEqualTo(1);
    }

    /** Records of the key-usage topic for {@code keyId} from {@code offset} on (other tests write there too). */
    private static long usageRecordsSince(long offset, String keyId) throws Exception {
        var tp = new org.apache.kafka.common.TopicPartition(io.perkamo.topics.Topics.CONTROL_KEY_USAGE.name(), 0);
        long end = usageEndOffset();
        long count = 0;
        try (var consumer = io.perkamo.topics.KafkaClients.consumer(io.perkamo.topics.KafkaClients.consumerConfig(
                TestKafka.bootstrapServers(), "usage-count"), new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            while (consumer.position(tp) < end) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end && keyId.equals(r.key())) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static long usageEndOffset() throws Exception {
        var tp = new org.apache.kafka.common.TopicPartition(io.perkamo.topics.Topics.CONTROL_KEY_USAGE.name(), 0);
        return writer.admin().listOffsets(java.util.Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                .partitionResult(tp).get().offset();
    }
}
