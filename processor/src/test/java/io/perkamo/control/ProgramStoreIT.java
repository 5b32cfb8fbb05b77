package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.keys.MasterKey;
import io.perkamo.testing.TestKafka;

class ProgramStoreIT {
    private static ControlPlane cp;
    private static ProgramStore store;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(TestKafka.bootstrapServers(), MasterKey.generate());
        store = new ProgramStore(cp);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    private static ObjectNode program(String name) {
        ObjectNode p = ControlJson.MAPPER.createObjectNode();
        p.put("name", name);
        return p;
    }

    @Test
    void shouldNumberVersionsAndPickTheOneInForce() {
        String slug = TestKafka.uniqueSlug("prog");
        new SpaceAdmin(cp).create(slug, "test", Optional.empty(), 1);
        Instant t1 = Instant.parse("2025-01-01T00:00:00Z");
        Instant t2 = Instant.parse("2025-06-01T00:00:00Z");

        ProgramVersion v1 = store.publish(slug, program("one"), t1);
        ProgramVersion v2 = store.publish(slug, program("two"), t2);

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(cp.programs(slug)).extracting(ProgramVersion::version).containsExactly(1L, 2L);
        assertThat(cp.activeProgram(slug, t1.minusSeconds(1))).isEmpty();
        assertThat(cp.activeProgram(slug, t1).orElseThrow().version()).isEqualTo(1);
        assertThat(cp.activeProgram(slug, t2.minusMillis(1)).orElseThrow().program().get("name").asText())
                .isEqualTo("one");
        assertThat(cp.activeProgram(slug, t2).orElseThrow().version()).isEqualTo(2);
        try (ControlPlane other = ControlPlane.startWithoutMasterKey(TestKafka.bootstrapServers())) {
            assertThat(other.programs(slug)).containsExactly(v1, v2);
        }
    }

    @Test
    void shouldRefuseAnUnknownSpace() {
        String slug = TestKafka.uniqueSlug("prog-ghost");
        assertThatThrownBy(() -> store.publish(slug, program("x"), Instant.EPOCH))
                .isInstanceOf(UnknownSpaceException.class)
                .hasMessage("Space '" + slug + "' does not exist");
    }
}
