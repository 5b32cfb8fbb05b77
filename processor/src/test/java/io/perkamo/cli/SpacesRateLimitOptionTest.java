package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.perkamo.control.SpaceRateLimits;

class SpacesRateLimitOptionTest {

    @Test
    void shouldSetTheNamedLimitsAndKeepTheOthers() {
        SpaceRateLimits now = new SpaceRateLimits(OptionalInt.of(1000), OptionalInt.empty(), OptionalInt.of(60));

        SpaceRateLimits next = SpacesCommand.SetSettings.withChanges(now, List.of("browser-key=5000", "browser_user=default"));

        assertThat(next).isEqualTo(new SpaceRateLimits(OptionalInt.of(1000), OptionalInt.of(5000), OptionalInt.empty()));
    }

    @Test
    void shouldRefuseUnknownNamesAndNonPositiveNumbers() {
        assertThatThrownBy(() -> SpacesCommand.SetSettings.withChanges(SpaceRateLimits.NONE, List.of("everyone=5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server_key, browser_key or browser_user");
        assertThatThrownBy(() -> SpacesCommand.SetSettings.withChanges(SpaceRateLimits.NONE, List.of("server_key=0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> SpacesCommand.SetSettings.withChanges(SpaceRateLimits.NONE, List.of("server_key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<who>=<n>");
    }
}
