package io.perkamo.replay;

import java.time.Duration;
import java.util.Optional;

/**
 * Bounds of one run (the HTTP what-if has both; the CLI none): records read and time taken.
 * Past them the run stops with {@link ReplayLimitException}.
 */
public record Limits(long maxRecords, Optional<Duration> maxTime) {
    public static final Limits NONE = new Limits(Long.MAX_VALUE, Optional.empty());

    public Limits {
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords must not be negative");
        }
    }
}
