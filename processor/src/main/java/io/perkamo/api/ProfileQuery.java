package io.perkamo.api;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a user's profile lives right now. {@link Local}: this instance owns the key (the profile
 * already rendered as the answer's JSON; empty when the user has no profile). {@link Remote}:
 * another instance owns it; the server forwards the read to {@code hostPort} (its
 * {@code application.server}). {@link Unavailable}: nobody can answer now (rebalancing,
 * restoring).
 */
@FunctionalInterface
public interface ProfileQuery {

    Lookup lookup(String space, String userId);

    sealed interface Lookup permits Local, Remote, Unavailable {
    }

    /**
     * @param profile the profile as the API answers it, compact UTF-8 JSON; empty when the user
     *                has no profile
     */
    record Local(Optional<byte[]> profile) implements Lookup {
        public Local {
            Objects.requireNonNull(profile, "profile");
        }

        /** A profile given as a JSON tree. */
        public static Local of(JsonNode profile) {
            return new Local(Optional.of(Json.bytes(profile)));
        }
    }

    /** @param hostPort {@code host:port} of the owning instance's HTTP API */
    record Remote(String hostPort) implements Lookup {
        public Remote {
            Objects.requireNonNull(hostPort, "hostPort");
        }
    }

    record Unavailable(String reason) implements Lookup {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
