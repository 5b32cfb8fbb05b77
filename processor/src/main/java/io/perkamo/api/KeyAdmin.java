package io.perkamo.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Key management of a Space for the admin API (scope {@code admin:config}): the same operations
 * as {@code perkamo keys}. A key of another Space is answered as not found.
 */
public interface KeyAdmin {

    List<KeyInfo> list(String space);

    /** @param kind {@code server}, {@code browser} or {@code signing} (which names its browser key) */
    Result create(String space, String kind, Set<String> scopes, Optional<String> browserKeyId);

    Result revoke(String space, String keyId);

    /** A new key like the old one; the old one works until {@code oldValidUntil}. */
    Result rotate(String space, String keyId, Instant oldValidUntil);

    /** Empty goes back to the environment's default. */
    Result setPolicy(String space, String keyId, Optional<Policy> policy);

    /** A browser key's policy. */
    record Policy(List<String> allowedOrigins, List<String> allowedEvents, int maxTtlSeconds) {
        public Policy {
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedEvents = List.copyOf(allowedEvents);
        }
    }

    /**
     * A key as listed: never the key itself.
     *
     * @param status        live, expiring (rotated, works until expiresAt), expired or revoked
     * @param lastUsedAt    approximate (per instance, written at most once a minute)
     * @param policy        a browser key's policy in force; {@code defaultPolicy} when none was set
     */
    record KeyInfo(String id, String kind, String prefix, Set<String> scopes, Instant createdAt,
                   Optional<Instant> lastUsedAt, Optional<Instant> expiresAt, Optional<Instant> revokedAt, String status,
                   Optional<String> browserKeyId, Optional<Policy> policy, boolean defaultPolicy) {
        public KeyInfo {
            Objects.requireNonNull(id, "id");
            scopes = Set.copyOf(scopes);
        }
    }

    sealed interface Result permits Done, Refused {
    }

    /**
     * @param plaintext a new key, shown this once
     * @param old       after a rotation: the old key with its expiry
     */
    record Done(KeyInfo key, Optional<String> plaintext, Optional<KeyInfo> old) implements Result {
        @Override
        public String toString() {
            return "Done[key=" + key.id() + "]";
        }
    }

    record Refused(Reason reason, String message) implements Result {
    }

    enum Reason { NOT_FOUND, INVALID, NOT_LIVE }

    /** No key management on this server: every call answers 501. */
    KeyAdmin NONE = new KeyAdmin() {
        private ApiError none() {
            return new ApiError(501, "not_implemented", "key management is not enabled on this server");
        }

        @Override
        public List<KeyInfo> list(String space) {
            throw none();
        }

        @Override
        public Result create(String space, String kind, Set<String> scopes, Optional<String> browserKeyId) {
            throw none();
        }

        @Override
        public Result revoke(String space, String keyId) {
            throw none();
        }

        @Override
        public Result rotate(String space, String keyId, Instant oldValidUntil) {
            throw none();
        }

        @Override
        public Result setPolicy(String space, String keyId, Optional<Policy> policy) {
            throw none();
        }
    };
}
