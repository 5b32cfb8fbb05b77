package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import io.perkamo.topics.Topics;

class SpaceSlugPropertyTest {

    @Property
    void everyValidSlugGivesLegalKafkaTopicNames(
            @ForAll @StringLength(min = 1, max = 128) @CharRange(from = 'a', to = 'z') @CharRange(from = '0', to = '9')
            @Chars({'-'}) String candidate) {
        if (!Topics.isValidSlug(candidate)) {
            assertThat(candidate.startsWith("-") || candidate.endsWith("-")).isTrue();
            return;
        }
        for (String topic : Topics.PER_SPACE.stream().map(t -> t.name(candidate)).toList()) {
            assertThat(topic).matches("[a-zA-Z0-9._-]{1,249}");
            assertThat(Topics.spaceOf(topic)).contains(candidate);
        }
    }
}
