package io.perkamo.control;

import java.util.OptionalInt;

/**
 * A Space's own rate limits, in requests per minute; empty means the server's default (the API
 * knows the defaults, so a Space that never set a limit follows them when they change).
 */
public record SpaceRateLimits(OptionalInt serverKey, OptionalInt browserKey, OptionalInt browserUser) {
    public static final SpaceRateLimits NONE = new SpaceRateLimits(OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty());

    public SpaceRateLimits {
        check(serverKey);
        check(browserKey);
        check(browserUser);
    }

    private static void check(OptionalInt perMinute) {
        if (perMinute.isPresent() && perMinute.getAsInt() < 1) {
            throw new IllegalArgumentException("a rate limit is at least 1 request per minute");
        }
    }
}
