package io.perkamo.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the sender delivers: the pauses between attempts (the default schedule retries for
 * about a day: 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, so at most 9 attempts), the
 * time an endpoint has to answer, how many requests may be in flight to one endpoint at once,
 * and how many deliveries one endpoint may have waiting (in flight, queued or scheduled for a
 * retry) before new ones fail at once with {@code backlog_full} (they stay in the log and can
 * be resent).
 *
 * @param jitter each pause is multiplied by a random factor in [1 - jitter, 1 + jitter]
 */
public record WebhookSettings(List<Duration> retrySchedule, double jitter, Duration attemptTimeout,
                              int maxInFlightPerEndpoint, int maxWaitingPerEndpoint) {
    public static final List<Duration> DEFAULT_SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
            Duration.ofHours(10), Duration.ofHours(10));
    /** SPEC section 5: a 2xx within 5 s is a success. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Enough requests in flight for a fast receiver (thousands a second), few enough not to flood a slow one. */
    public static final int DEFAULT_IN_FLIGHT = 64;
    public static final WebhookSettings DEFAULTS = new WebhookSettings(DEFAULT_SCHEDULE, 0.2, DEFAULT_TIMEOUT,
            DEFAULT_IN_FLIGHT, 10_000);

    public WebhookSettings {
        retrySchedule = List.copyOf(retrySchedule);
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (retrySchedule.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("every pause of the retry schedule must be positive");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("the attempt timeout must be positive");
        }
        if (maxInFlightPerEndpoint < 1 || maxWaitingPerEndpoint < 1) {
            throw new IllegalArgumentException("per-endpoint limits must be at least 1");
        }
    }

    public WebhookSettings withRetrySchedule(List<Duration> schedule) {
        return new WebhookSettings(schedule, jitter, attemptTimeout, maxInFlightPerEndpoint, maxWaitingPerEndpoint);
    }

    public WebhookSettings withAttemptTimeout(Duration timeout) {
        return new WebhookSettings(retrySchedule, jitter, timeout, maxInFlightPerEndpoint, maxWaitingPerEndpoint);
    }

    public WebhookSettings withLimits(int inFlight, int waiting) {
        return new WebhookSettings(retrySchedule, jitter, attemptTimeout, inFlight, waiting);
    }

    /** Attempts a delivery gets at most: the first plus one per pause. */
    public int maxAttempts() {
        return 1 + retrySchedule.size();
    }
}
