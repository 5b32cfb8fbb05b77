package io.perkamo.webhooks;

import java.time.Duration;
import java.util.Optional;

/** When a failed delivery is tried again: the schedule's pause after that attempt, with jitter. */
final class RetrySchedule {
    private final WebhookSettings settings;

    RetrySchedule(WebhookSettings settings) {
        this.settings = settings;
    }

    /**
     * The pause before the next attempt after {@code attemptsMade} failed ones, empty when the
     * schedule is exhausted (the delivery has failed).
     *
     * @param random01 a random number in [0, 1): spreads retries of deliveries that failed together
     */
    Optional<Duration> pauseAfter(int attemptsMade, double random01) {
        if (attemptsMade < 1 || attemptsMade > settings.retrySchedule().size()) {
            return Optional.empty();
        }
        Duration base = settings.retrySchedule().get(attemptsMade - 1);
        double factor = 1 + settings.jitter() * (2 * random01 - 1);
        return Optional.of(Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor))));
    }
}
