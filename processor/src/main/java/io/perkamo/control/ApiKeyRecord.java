package io.perkamo.control;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.control.keys.SealedSecret;
import io.perkamo.control.keys.SealedValue;
import io.perkamo.control.keys.SecretKind;

/**
 * A key as stored on the keys control topic: never the key itself, only a lookup hash (HMAC
 * with a key derived from the master key) and the key encrypted with AES-256-GCM, because a
 * server key is also the HMAC secret of signed requests and a signing key that of tokens.
 *
 * @param browserPolicy  a browser key's policy once set; until then {@link #effectivePolicy} is its
 *                       environment's default
 * @param expiresAt      when a rotated key stops working (its successor was created then)
 * @param browserKeyId   a signing key's browser key, whose policy its tokens get
 * @param tokenSecret    a browser key's secret for the tokens the server mints (sealed as
 *                       {@link SecretKind#BROWSER_TOKEN}); absent on keys created before it existed
 */
public record ApiKeyRecord(String id, String space, Kind kind, String prefix, String lookupHash, String ciphertext,
        Set<String> scopes, Instant createdAt, Optional<Instant> revokedAt, Optional<BrowserPolicy> browserPolicy,
        Optional<Instant> expiresAt, Optional<String> browserKeyId, Optional<SealedValue> tokenSecret)
        implements SealedSecret {

    /**
     * Server keys (sk_) are secrets; browser keys (pk_) are public and limited by a policy;
     * signing keys (sig_, the secret of a {@code kid_...}) sign client tokens for a browser key.
     */
    public enum Kind {
        SERVER("sk"), BROWSER("pk"), SIGNING("sig");

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
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(browserKeyId, "browserKeyId");
        Objects.requireNonNull(tokenSecret, "tokenSecret");
        scopes = Set.copyOf(scopes);
    }

    /** A key that never rotated and has no signing or token secret parts. */
    public ApiKeyRecord(String id, String space, Kind kind, String prefix, String lookupHash, String ciphertext,
                        Set<String> scopes, Instant createdAt, Optional<Instant> revokedAt,
                        Optional<BrowserPolicy> browserPolicy) {
        this(id, space, kind, prefix, lookupHash, ciphertext, scopes, createdAt, revokedAt, browserPolicy,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /** Not revoked and not past its expiry (a rotated key stays usable until then). */
    public boolean live(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }

    /** {@code live}, {@code revoked}, {@code expired} or {@code expiring} (rotated, still usable). */
    public String status(Instant now) {
        if (revoked()) {
            return "revoked";
        }
        if (!live(now)) {
            return "expired";
        }
        return expiresAt.isPresent() ? "expiring" : "live";
    }

    /** A browser key's policy: the one set, else its Space environment's default. */
    public BrowserPolicy effectivePolicy(Environment environment) {
        return browserPolicy.orElse(environment == Environment.TEST ? BrowserPolicy.TEST_DEFAULT
                : BrowserPolicy.LIVE_DEFAULT);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    ApiKeyRecord withRevokedAt(Instant at) {
        return new ApiKeyRecord(id, space, kind, prefix, lookupHash, ciphertext, scopes, createdAt,
                Optional.of(at), browserPolicy, expiresAt, browserKeyId, tokenSecret);
    }

    ApiKeyRecord withBrowserPolicy(Optional<BrowserPolicy> policy) {
        return new ApiKeyRecord(id, space, kind, prefix, lookupHash, ciphertext, scopes, createdAt, revokedAt,
                policy, expiresAt, browserKeyId, tokenSecret);
    }

    ApiKeyRecord withExpiresAt(Instant at) {
        return new ApiKeyRecord(id, space, kind, prefix, lookupHash, ciphertext, scopes, createdAt, revokedAt,
                browserPolicy, Optional.of(at), browserKeyId, tokenSecret);
    }

    /** Shows the display prefix only: never the hash or the ciphertext. */
    @Override
    public String toString() {
        return "ApiKeyRecord[id=" + id + ", space=" + space + ", kind=" + kind.id() + ", prefix=" + prefix
                + ", scopes=" + scopes + ", createdAt=" + createdAt
                + revokedAt.map(r -> ", revokedAt=" + r).orElse("") + expiresAt.map(e -> ", expiresAt=" + e).orElse("")
                + browserKeyId.map(b -> ", browserKeyId=" + b).orElse("") + "]";
    }
}
