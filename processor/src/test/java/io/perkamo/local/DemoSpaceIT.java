package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.Environment;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.schemas.Json;
import io.perkamo.testing.TestKafka;

class DemoSpaceIT {
    private static final MasterKey MASTER = MasterKey.generate();
    private static ControlPlane cp;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(TestKafka.bootstrapServers(), MASTER);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    private static ObjectNode demoProgram() {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("name", "demo");
        return p;
    }

    @Test
    void shouldProvisionOnceAndReturnTheSameKeysEveryTime() {
        String slug = TestKafka.uniqueSlug("demo");

        DemoInfo first = DemoSpace.provision(cp, slug, Optional.empty(), demoProgram());
        DemoInfo second;
        try (ControlPlane restarted = ControlPlane.start(TestKafka.bootstrapServers(), MASTER)) {
            second = DemoSpace.provision(restarted, slug, Optional.empty(), demoProgram());
        }

        assertThat(first.space().environment()).isEqualTo(Environment.TEST);
        assertThat(first.space().name()).isEqualTo("Demo");
        assertThat(first.serverKey()).startsWith("sk_test_");
        assertThat(first.browserKey()).startsWith("pk_test_");
        assertThat(second.serverKey()).isEqualTo(first.serverKey());
        assertThat(second.browserKey()).isEqualTo(first.browserKey());
        cp.awaitCaughtUp(java.time.Duration.ofSeconds(10));
        assertThat(cp.keys(slug)).hasSize(2);
        assertThat(cp.programs(slug)).hasSize(1);
        assertThat(cp.activeProgram(slug, Instant.parse("2000-01-01T00:00:00Z"))).isPresent();
        assertThat(cp.resolve(first.serverKey()).orElseThrow().space().slug()).isEqualTo(slug);
    }

    @Test
    void shouldUseAFixedServerKey() {
        String slug = TestKafka.uniqueSlug("demo-fixed");
        String fixed = "sk_test_devkey" + slug.replace("-", "");

        DemoInfo first = DemoSpace.provision(cp, slug, Optional.of(fixed), demoProgram());
        DemoInfo second = DemoSpace.provision(cp, slug, Optional.of(fixed), demoProgram());

        assertThat(first.serverKey()).isEqualTo(fixed);
        assertThat(second.serverKey()).isEqualTo(fixed);
        assertThat(second.browserKey()).isEqualTo(first.browserKey());
        assertThat(cp.keys(slug)).hasSize(2);
        assertThat(cp.resolve(fixed)).isPresent();
    }

    @Test
    void shouldRefuseAFixedKeyThatIsNotATestServerKey() {
        assertThatThrownBy(() -> DemoSpace.provision(cp, TestKafka.uniqueSlug("demo-bad"),
                Optional.of("sk_live_abcdefghijkl"), demoProgram()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PERKAMO_DEV_SERVER_KEY must start with sk_test_");
    }

    @Test
    void shouldTreatAConcurrentCreationAsFine() throws Exception {
        String slug = TestKafka.uniqueSlug("demo-race");
        try (ControlPlane other = ControlPlane.start(TestKafka.bootstrapServers(), MASTER)) {
            var a = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> DemoSpace.provision(cp, slug, Optional.of("sk_test_racekey" + slug.replace("-", "")),
                            demoProgram()));
            var b = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> DemoSpace.provision(other, slug, Optional.of("sk_test_racekey" + slug.replace("-", "")),
                            demoProgram()));

            assertThat(a.get().serverKey()).isEqualTo(b.get().serverKey());
            assertThat(a.get().space().slug()).isEqualTo(slug);
        }
    }
}
