package io.perkamo.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who presented a verified browser token: the user it acts for (and no other), its Space, the
 * keys behind it (ids only, safe to log), its scopes and its browser key's policy.
 *
 * @param signingKeyId the signing key an app signed it with; empty when the server minted it
 * @param tokenId      the token's {@code jti}
 */
public record ClientCaller(String space, String environment, String userId, String browserKeyId,
                           Optional<String> signingKeyId, Set<String> scopes, Instant expiresAt, String tokenId,
                           Policy policy) {

    /** The browser key's policy (and the token's own events list, when it carries one). */
    public interface Policy {
        boolean allowsOrigin(String origin);

        boolean allowsEvent(String event);
    }

    public ClientCaller {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(browserKeyId, "browserKeyId");
        Objects.requireNonNull(signingKeyId, "signingKeyId");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(policy, "policy");
    }

    /** Scopes of browser tokens. */
    public static final class Scopes {
        public static final String PROFILE_READ = ApiCaller.Scopes.PROFILE_READ;
        public static final String EVENTS_WRITE = ApiCaller.Scopes.EVENTS_WRITE;
        public static final String STREAM_READ = "stream:read";

        private Scopes() {
        }
    }

    public boolean has(String scope) {
        return scopes.contains(scope)
                || Scopes.PROFILE_READ.equals(scope) && scopes.contains(ApiCaller.Scopes.CUSTOMER_READ);
    }
}
