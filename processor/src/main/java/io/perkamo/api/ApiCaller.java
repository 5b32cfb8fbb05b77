package io.perkamo.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who presented an API key: the key's id (never the key itself), the Space it belongs to and
 * what it may do. Server keys carry scopes ({@link Scopes}); browser keys are refused on
 * server routes.
 *
 * @param keyId             stable id of the key, safe to log
 * @param space             the Space slug the key identifies
 * @param environment       {@code test} or {@code live}
 * @param kind              server ({@code sk_...}) or browser ({@code pk_...})
 * @param scopes            granted scopes, e.g. {@code events:write}
 * @param requireSignatures the Space demands v1 signatures on mutating requests
 */
public record ApiCaller(String keyId, String space, String environment, Kind kind, Set<String> scopes,
                        boolean requireSignatures) {

    public enum Kind { SERVER, BROWSER }

    public ApiCaller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(kind, "kind");
        scopes = Set.copyOf(scopes);
    }

    /** Scope names of server keys. */
    public static final class Scopes {
        public static final String EVENTS_WRITE = "events:write";
        public static final String PROFILE_READ = "profile:read";
        /** Alias of {@link #PROFILE_READ}. */
        public static final String CUSTOMER_READ = "customer:read";
        public static final String REWARDS_REDEEM = "rewards:redeem";
        public static final String ADMIN_CONFIG = "admin:config";
        /** What a new server key gets unless told otherwise. */
        public static final Set<String> ALL = Set.of(EVENTS_WRITE, PROFILE_READ, REWARDS_REDEEM, ADMIN_CONFIG);

        private Scopes() {
        }
    }

    boolean has(String scope) {
        if (scopes.contains(scope)) {
            return true;
        }
        return Scopes.PROFILE_READ.equals(scope) && scopes.contains(Scopes.CUSTOMER_READ);
    }
}
