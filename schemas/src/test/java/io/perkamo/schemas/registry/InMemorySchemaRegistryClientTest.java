package io.perkamo.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final Schema V1 = parse("{\"name\":\"a\",\"type\":\"string\"}");
    private static final Schema V2 = parse("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    private static final Schema BREAKING = parse("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldHandOutIdsFromOneAndVersionsPerSubject() {
        int first = registry.register("x-value", V1);
        int second = registry.register("x-value", V2);

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(registry.versions("x-value")).containsExactly(1, 2);
        assertThat(registry.getLatestVersion("x-value")).isEqualTo(new SubjectVersion("x-value", 2, 2, V2));
        assertThat(registry.getVersion("x-value", 1)).isEqualTo(new SubjectVersion("x-value", 1, 1, V1));
        assertThat(registry.getById(2)).isEqualTo(V2);
    }

    @Test
    void shouldReturnTheSameIdWhenTheSameSchemaIsRegisteredAgain() {
        int first = registry.register("x-value", V1);
        int again = registry.register("x-value", V1);

        assertThat(again).isEqualTo(first);
        assertThat(registry.versions("x-value")).containsExactly(1);
    }

    @Test
    void shouldShareTheIdOfASchemaAcrossSubjects() {
        int inX = registry.register("x-value", V1);
        int inY = registry.register("y-value", V1);

        assertThat(inY).isEqualTo(inX);
        assertThat(registry.subjects()).containsExactly("x-value", "y-value");
    }

    @Test
    void shouldRefuseABackwardIncompatibleSchemaWith409() {
        registry.register("x-value", V1);

        assertThat(registry.isCompatible("x-value", BREAKING)).isFalse();
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> registry.register("x-value", BREAKING));

        assertThat(e.httpStatus()).isEqualTo(409);
        assertThat(registry.versions("x-value")).containsExactly(1);
    }

    @Test
    void shouldTreatAnUnknownSubjectAsCompatible() {
        assertThat(registry.isCompatible("nothing-value", BREAKING)).isTrue();
        assertThat(registry.isCompatible("nothing-value", V1)).isTrue();
    }

    @Test
    void shouldAnswerConfluentNotFoundCodes() {
        registry.register("x-value", V1);

        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> registry.getById(99)).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> registry.versions("nope")).errorCode())
                .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> registry.getVersion("x-value", 2)).errorCode())
                .isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND);
    }

    private static Schema parse(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
    }
}
