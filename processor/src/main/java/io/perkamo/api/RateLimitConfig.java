package io.perkamo.api;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Per-Space rate limits (requests per minute), for the limiter and the admin API. Node adapts
 * the control plane's Space settings; a Space without its own value gets {@link #DEFAULTS}.
 */
public interface RateLimitConfig {

    /** What is limited: each server key, each browser key (all its tokens), each browser-token user. */
    enum Subject {
        SERVER_KEY("server_key"), BROWSER_KEY("browser_key"), BROWSER_USER("browser_user");

        private final String wire;

        Subject(String wire) {
            this.wire = wire;
        }

        /** The name in the admin API's JSON and the CLI. */
        public String wire() {
            return wire;
        }

        public static Optional<Subject> parse(String wire) {
            for (Subject s : values()) {
                if (s.wire.equals(wire)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** Requests per minute per server key, per browser key and per browser-token user. */
    record Limits(int serverKeyPerMinute, int browserKeyPerMinute, int browserUserPerMinute) {
        public Limits {
            requirePositive(serverKeyPerMinute);
            requirePositive(browserKeyPerMinute);
            requirePositive(browserUserPerMinute);
        }

        public int perMinute(Subject subject) {
            return switch (subject) {
                case SERVER_KEY -> serverKeyPerMinute;
                case BROWSER_KEY -> browserKeyPerMinute;
                case BROWSER_USER -> browserUserPerMinute;
            };
        }

        /** These limits with the Space's own values where it has them. */
        public Limits with(Map<Subject, Integer> own) {
            return new Limits(own.getOrDefault(Subject.SERVER_KEY, serverKeyPerMinute),
                    own.getOrDefault(Subject.BROWSER_KEY, browserKeyPerMinute),
                    own.getOrDefault(Subject.BROWSER_USER, browserUserPerMinute));
        }

        private static void requirePositive(int perMinute) {
            if (perMinute < 1 || perMinute > MAX_PER_MINUTE) {
                throw new IllegalArgumentException("a rate limit is 1.." + MAX_PER_MINUTE + " requests per minute");
            }
        }
    }

    int MAX_PER_MINUTE = 100_000_000;

    /**
     * Server keys are trusted backends: their limit only stops a runaway loop (10,000/s, more
     * than one instance serves). Browser keys and users are the public side: 1,000/s per
     * browser key, 5/s per user (bursts of up to a minute's worth).
     */
    Limits DEFAULTS = new Limits(600_000, 60_000, 300);

    /** Every Space at the defaults, nothing stored (servers started without a control plane). */
    RateLimitConfig FIXED_DEFAULTS = new RateLimitConfig() {
        @Override
        public Limits limits(String space) {
            return DEFAULTS;
        }

        @Override
        public Set<Subject> own(String space) {
            return Set.of();
        }

        @Override
        public Optional<String> update(String space, Map<Subject, OptionalInt> changes) {
            return Optional.of("rate limits cannot be changed on this server");
        }
    };

    /** The limits in force for the Space (its own values, else the defaults). */
    Limits limits(String space);

    /** Which of the Space's limits are its own (not the default). */
    Set<Subject> own(String space);

    /**
     * Sets (a value) or clears (empty: back to the default) the given limits of the Space.
     *
     * @return empty when done, else why not
     */
    Optional<String> update(String space, Map<Subject, OptionalInt> changes);
}
