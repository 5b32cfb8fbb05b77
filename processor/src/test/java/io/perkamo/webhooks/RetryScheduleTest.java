package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private final RetrySchedule schedule = new RetrySchedule(WebhookSettings.DEFAULTS);

    @Test
    void shouldRetryForAboutADayOnTheDefaultScheduleThenGiveUp() {
        // the middle of the jitter range is the schedule itself
        assertThat(schedule.pauseAfter(1, 0.5)).contains(Duration.ofSeconds(5));
        assertThat(schedule.pauseAfter(2, 0.5)).contains(Duration.ofMinutes(1));
        assertThat(schedule.pauseAfter(8, 0.5)).contains(Duration.ofHours(10));
        assertThat(schedule.pauseAfter(9, 0.5)).isEmpty();
        assertThat(WebhookSettings.DEFAULTS.maxAttempts()).isEqualTo(9);
        Duration total = WebhookSettings.DEFAULT_SCHEDULE.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isBetween(Duration.ofHours(24), Duration.ofHours(28));
        assertThat(WebhookSettings.DEFAULTS.attemptTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldSpreadPausesByTheJitter() {
        // jitter 0.2: from 4 s to 6 s around 5 s
        assertThat(schedule.pauseAfter(1, 0.0)).contains(Duration.ofSeconds(4));
        assertThat(schedule.pauseAfter(1, 0.999999)).hasValueSatisfying(d -> assertThat(d.toMillis()).isBetween(5999L, 6000L));
    }

    @Test
    void shouldFollowAConfiguredSchedule() {
        RetrySchedule fast = new RetrySchedule(new WebhookSettings(List.of(Duration.ofMillis(100)), 0,
                Duration.ofSeconds(1), 1, 1));

        assertThat(fast.pauseAfter(1, 0.3)).isEqualTo(Optional.of(Duration.ofMillis(100)));
        assertThat(fast.pauseAfter(2, 0.3)).isEmpty();
    }
}
