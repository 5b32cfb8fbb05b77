package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
    private static final Schema V1 = parse("""
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");
    /** v1 plus a field with a default. */
    private static final Schema WITH_DEFAULT = parse("""
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"int","default":0}]}""");
    /** v1 plus a field without a default. */
    private static final Schema WITHOUT_DEFAULT = parse("""
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"c","type":"int"}]}""");
    /** v1 with field a removed and nothing else. */
    private static final Schema EMPTY = parse("""
            {"type":"record","name":"R","fields":[]}""");

    @Test
    void shouldAllowAFieldWithADefaultUnderEveryLevel() {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(level.problems(WITH_DEFAULT, List.of(V1))).as(level.name()).isEmpty();
        }
    }

    @Test
    void shouldRejectAFieldWithoutADefaultWhenNewReadersMustReadOldData() {
        assertThat(CompatibilityLevel.BACKWARD.problems(WITHOUT_DEFAULT, List.of(V1)))
                .singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("c");
        assertThat(CompatibilityLevel.FULL.problems(WITHOUT_DEFAULT, List.of(V1))).isNotEmpty();
        assertThat(CompatibilityLevel.FORWARD.problems(WITHOUT_DEFAULT, List.of(V1))).isEmpty();
        assertThat(CompatibilityLevel.NONE.problems(WITHOUT_DEFAULT, List.of(V1))).isEmpty();
    }

    @Test
    void shouldRejectDroppingARequiredFieldWhenOldReadersMustReadNewData() {
        assertThat(CompatibilityLevel.BACKWARD.problems(EMPTY, List.of(V1))).isEmpty();
        assertThat(CompatibilityLevel.FORWARD.problems(EMPTY, List.of(V1))).isNotEmpty();
        assertThat(CompatibilityLevel.FULL.problems(EMPTY, List.of(V1))).isNotEmpty();
    }

    @Test
    void shouldCompareWithTheLatestOnlyUnlessTransitive() {
        // given history: WITHOUT_DEFAULT (c required), then EMPTY (c dropped)
        List<Schema> history = List.of(WITHOUT_DEFAULT, EMPTY);
        // a candidate that adds c back as a string without default reads EMPTY's data,
        // but not WITHOUT_DEFAULT's (int c cannot become string)
        Schema candidate = parse("""
                {"type":"record","name":"R","fields":[{"name":"c","type":"string","default":""}]}""");

        assertThat(CompatibilityLevel.BACKWARD.problems(candidate, history)).isEmpty();
        assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.problems(candidate, history)).isNotEmpty();
    }

    @Test
    void shouldParseLevelsCaseInsensitivelyAndRejectOthers() {
        assertThat(CompatibilityLevel.parse("full_transitive")).contains(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse("SIDEWAYS")).isEmpty();
        assertThat(CompatibilityLevel.parse(null)).isEmpty();
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }
}
