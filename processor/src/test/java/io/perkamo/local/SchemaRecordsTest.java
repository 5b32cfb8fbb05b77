package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SchemaRecordsTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}";

    @Test
    void shouldWriteKeysInConfluentLayoutWithAFixedFieldOrder() {
        assertThat(SchemaRecords.schemaKey("s-value", 3))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s-value\",\"version\":3,\"magic\":1}");
        assertThat(SchemaRecords.configKey(Optional.empty()))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(SchemaRecords.configValue(CompatibilityLevel.FULL)).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void shouldFoldWrittenRecordsBackIntoTheState() {
        // given
        RegistryState state = new RegistryState();
        var v = new RegistryState.Version("s", 1, 7, SCHEMA, false);

        // when
        SchemaRecords.applyTo(state, SchemaRecords.schemaKey("s", 1), SchemaRecords.schemaValue(v));
        SchemaRecords.applyTo(state, SchemaRecords.configKey(Optional.of("s")),
                SchemaRecords.configValue(CompatibilityLevel.NONE));

        // then
        assertThat(state.latest("s")).contains(v);
        assertThat(state.schemaById(7)).contains(SCHEMA);
        assertThat(state.nextId()).isEqualTo(8);
        assertThat(state.nextVersion("s")).isEqualTo(2);
        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.effectiveLevel("other")).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void shouldHideSoftDeletedVersionsAndDropTombstonedOnes() {
        RegistryState state = new RegistryState();
        SchemaRecords.applyTo(state, SchemaRecords.schemaKey("s", 1),
                SchemaRecords.schemaValue(new RegistryState.Version("s", 1, 1, SCHEMA, true)));
        assertThat(state.subjects(false)).isEmpty();
        assertThat(state.subjects(true)).containsExactly("s");

        SchemaRecords.applyTo(state, SchemaRecords.schemaKey("s", 1), null);
        assertThat(state.subjects(true)).isEmpty();
        assertThat(state.schemaById(1)).contains(SCHEMA);
    }

    @Test
    void shouldSkipOtherKeyTypesAndRejectMalformedRecords() {
        RegistryState state = new RegistryState();
        SchemaRecords.applyTo(state, "{\"keytype\":\"NOOP\",\"magic\":0}", null);
        assertThat(state.subjects(true)).isEmpty();

        assertThatThrownBy(() -> SchemaRecords.applyTo(state, "not json", "{}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaRecords.applyTo(state, SchemaRecords.schemaKey("s", 1), "{\"id\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
