package io.perkamo.control;

import java.util.Locale;
import java.util.Optional;

/** A Space's environment; it fixes the prefix of its keys (sk_test_ / sk_live_ ...). */
public enum Environment {
    TEST, LIVE;

    /** The wire and CLI spelling: {@code test} or {@code live}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Environment> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Environment e : values()) {
            if (e.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** {@link #parse} that fails with a clear message. */
    static Environment require(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException(
                "Invalid environment '" + value + "': use test or live"));
    }
}
