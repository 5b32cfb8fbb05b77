package io.perkamo.api;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a user's profile lives right now. {@link Local}: this instance owns the key (empty when
 * the user has no profile). {@link Remote}: another instance owns it; the server forwards the
 * read to {@code hostPort} (its {@code application.server}). {@link Unavailable}: nobody can
 * answer now (rebalancing, restoring).
 */
@FunctionalInterface
public interface ProfileQuery {

    Lookup lookup(String space, String userId);

    sealed interface Lookup permits Local, Remote, Unavailable {
    }

    record Local(Optional<ObjectNode> profile) implements Lookup {
        public Local {
            Objects.requireNonNull(profile, "profile");
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
