package io.perkamo.control;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.control.keys.SealedSecret;

/**
 * An API key as stored on the keys control topic: never the key itself, only a lookup hash
 * (HMAC with a key derived from the master key) and the key encrypted with AES-256-GCM,
 * because a server key is also the HMAC secret of signed requests.
 */
public record ApiKeyRecord(String id, String space, Kind kind, String prefix, String lookupHash, String ciphertext,
        Set<String> scopes, Instant createdAt, Optional<Instant> revokedAt, Optional<BrowserPolicy> browserPolicy)
        implements SealedSecret {

    /** Server keys (sk_) are secrets; browser keys (pk_) are public and limited by a policy. */
    public enum Kind {
        SERVER("sk"), BROWSER("pk");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        /** The key prefix for a Space environment: {@code sk_test_}, {@code pk_live_} ... */
        public String prefix(Environment environment) {
            return tag + "_" + environment.id() + "_";
        }

        /** Wire and CLI spelling: {@code server} or {@code browser}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Optional<Kind> parse(String value) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public ApiKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(lookupHash, "lookupHash");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(browserPolicy, "browserPolicy");
        scopes = Set.copyOf(scopes);
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    ApiKeyRecord withRevokedAt(Instant at) {
        return new ApiKeyRecord(id, space, kind, prefix, lookupHash, ciphertext, scopes, createdAt,
                Optional.of(at), browserPolicy);
    }

    ApiKeyRecord withBrowserPolicy(BrowserPolicy policy) {
        return new ApiKeyRecord(id, space, kind, prefix, lookupHash, ciphertext, scopes, createdAt, revokedAt,
                Optional.of(policy));
    }

    /** Shows the display prefix only: never the hash or the ciphertext. */
    @Override
    public String toString() {
        return "ApiKeyRecord[id=" + id + ", space=" + space + ", kind=" + kind.id() + ", prefix=" + prefix
                + ", scopes=" + scopes + ", createdAt=" + createdAt
                + revokedAt.map(r -> ", revokedAt=" + r).orElse("") + "]";
    }
}
