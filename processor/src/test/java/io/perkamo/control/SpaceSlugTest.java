package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.perkamo.topics.Topics;

class SpaceSlugTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "ab", "demo-test", "a-b-c", "a--b", "0acme9"})
    void shouldAcceptValidSlugs(String slug) {
        assertThat(Topics.isValidSlug(slug)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "-", "A", "Acme", "a_b", "a.b", "a b", " a", "a\n", "é", "a/b", "a:b"})
    void shouldRejectInvalidSlugs(String slug) {
        assertThat(Topics.isValidSlug(slug)).isFalse();
    }

    @Test
    void shouldAcceptExactly128CharactersAndNotMore() {
        assertThat(Topics.isValidSlug("a".repeat(128))).isTrue();
        assertThat(Topics.isValidSlug("a".repeat(129))).isFalse();
    }

    @Test
    void shouldRejectNull() {
        assertThat(Topics.isValidSlug(null)).isFalse();
    }

    @Test
    void shouldExplainTheRuleWhenRejecting() {
        assertThatThrownBy(() -> SpaceAdmin.requireValidSlug("Bad_Slug"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid Space slug 'Bad_Slug'")
                .hasMessageContaining("a-z")
                .hasMessageContaining("starting and ending with a letter or digit");
    }

    @Test
    void shouldParseEnvironmentsAndExplainBadOnes() {
        assertThat(Environment.parse("test")).contains(Environment.TEST);
        assertThat(Environment.parse("live")).contains(Environment.LIVE);
        assertThatThrownBy(() -> Environment.require("prod")).hasMessageContaining("use test or live");
    }
}
